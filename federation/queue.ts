import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import PgBoss from "pg-boss";
import type { SqlExecutor } from "../src/db/database";

export interface QueueEngineOptions {
  connection: { db: SqlExecutor } | { connectionString: string };
  poolSize?: number;
}

const logger = getLogger(["ensemble", "queue"]);

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
    // expired jobs (their worker died) are failed, hence retried, on the next maintenance pass:
    // every 30 s instead of pg-boss's 120 s, so a killed worker's jobs come back within ~2.5 min
    maintenanceIntervalSeconds: 30,
    // jobs are kept a day after completion so duplicate processing is visible in audits
    deleteAfterDays: 1,
  });
  // while the database is out of reach every poll fails: say so once per 10 s, not twice a second
  let lastReported = 0;
  let suppressed = 0;
  boss.on("error", (error) => {
    const now = Date.now();
    if (now - lastReported < 10_000) {
      suppressed++;
      return;
    }
    logger.error("Queue engine error ({suppressed} more in the last 10 s): {error}", { error, suppressed });
    lastReported = now;
    suppressed = 0;
  });
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

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options?: MessageQueueListenOptions,
  ): Promise<void> {
    for (let i = 0; i < this.concurrency; i++) {
      let id = "";
      id = await this.boss.work(
        this.name,
        { batchSize: 1, pollingIntervalSeconds: this.pollingIntervalSeconds },
        async ([job]) => {
          try {
            return await handler(job.data);
          } finally {
            // pg-boss waits a polling interval after every job, which caps a worker at two jobs a
            // second; one that found work looks for more at once, and idles only when none is left
            if (id) this.boss.notifyWorker(id);
          }
        },
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
