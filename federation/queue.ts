import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import PgBoss from "pg-boss";
import type { SqlExecutor } from "../src/db/database";

export interface QueueEngineOptions {
  connection: { db: SqlExecutor } | { connectionString: string };
  poolSize?: number;
}

/** pg-boss on the same PostgreSQL (or PGlite): durable, and shared safely by any number of workers. */
export async function startQueueEngine(options: QueueEngineOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    ...options.connection,
    max: options.poolSize,
    schema: "pgboss",
    // Fedify retries failed deliveries itself; pg-boss retries only jobs whose worker died.
    retryLimit: 5,
    retryDelay: 5,
    expireInSeconds: 120,
    // jobs are kept a day after completion so duplicate processing is visible in audits
    deleteAfterDays: 1,
  });
  boss.on("error", (error) => console.error("queue engine error:", error));
  await boss.start();
  return boss;
}

const seconds = (d: MessageQueueEnqueueOptions["delay"]) => (d ? Math.max(0, Math.ceil(d.total("second"))) : 0);

/**
 * Fedify's MessageQueue over a pg-boss queue. Ordering keys are not honoured: pg-boss has no
 * per-key serialisation, and Ensemble's handlers are idempotent per activity.
 */
export class PgBossMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;

  constructor(
    private readonly boss: PgBoss,
    private readonly name: string,
    private readonly concurrency: number,
    private readonly pollingIntervalSeconds = 0.5,
  ) {}

  async ensure(): Promise<this> {
    await this.boss.createQueue(this.name);
    return this;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    const id = await this.boss.send(this.name, message as object, { startAfter: seconds(options?.delay) });
    if (id === null) throw new Error(`queue ${this.name} refused a message`);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const startAfter = new Date(Date.now() + seconds(options?.delay) * 1000);
    await this.boss.insert(messages.map((data) => ({ name: this.name, data: data as object, startAfter })));
  }

  async listen(handler: (message: unknown) => Promise<void> | void, options?: MessageQueueListenOptions): Promise<void> {
    for (let i = 0; i < this.concurrency; i++) {
      await this.boss.work(
        this.name,
        { batchSize: 1, pollingIntervalSeconds: this.pollingIntervalSeconds },
        async ([job]) => handler(job.data),
      );
    }
    if (options?.signal?.aborted) return this.boss.offWork(this.name);
    await new Promise<void>((resolve) => options?.signal?.addEventListener("abort", () => resolve(), { once: true }));
    await this.boss.offWork(this.name);
  }

  async getDepth() {
    return { queued: await this.boss.getQueueSize(this.name) };
  }
}
