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

/** Jobs a worker takes at once when a batch handler is set: one transaction's worth of notes. */
const BATCH_SIZE = 64;
/** Jobs of a batch handled one by one (Fedify's, or the batch handler's after a failure) run this many at a time. */
const SIDE_BY_SIDE = 8;

/** Handles some of a queue's jobs (those it accepts) together, e.g. one transaction for many notes. */
export interface BatchHandler {
  accepts(data: unknown): boolean;
  handle(data: unknown[]): Promise<void>;
}

/**
 * Group commit: each `send` resolves once its job is durably in the queue, and jobs sent while
 * an insert is under way go together in the next one (one multi-row insert, one commit), so a
 * burst costs a few round trips rather than one per job, and a lone job waits for nothing.
 */
export function groupCommit(boss: PgBoss, name: string, maxJobs = 128): (data: object) => Promise<void> {
  const pending: { data: object; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let inserting = false;
  async function flush() {
    inserting = true;
    while (pending.length) {
      const batch = pending.splice(0, maxJobs);
      try {
        await boss.insert(batch.map((p) => ({ name, data: p.data })));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    inserting = false;
  }
  return (data) =>
    new Promise((resolve, reject) => {
      pending.push({ data, resolve, reject });
      // the first job waits one turn of the event loop for those that arrived with it
      if (!inserting && pending.length === 1) setImmediate(() => inserting || void flush());
    });
}

const seconds = (d: MessageQueueEnqueueOptions["delay"]) => (d ? Math.max(0, Math.ceil(d.total("second"))) : 0);

/**
 * Fedify's MessageQueue over a pg-boss queue. Ordering keys are not honoured: pg-boss has no
 * per-key serialisation, and Ensemble's handlers are idempotent per activity.
 */
export class PgBossMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;
  private batchHandler?: BatchHandler;

  constructor(
    private readonly boss: PgBoss,
    readonly name: string,
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

  /** Jobs this handler accepts are taken from each fetched batch and handled together. */
  setBatchHandler(handler: BatchHandler): this {
    this.batchHandler = handler;
    return this;
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options?: MessageQueueListenOptions,
  ): Promise<void> {
    for (let i = 0; i < this.concurrency; i++) {
      let id = "";
      id = await this.boss.work(
        this.name,
        { batchSize: this.batchHandler ? BATCH_SIZE : 1, pollingIntervalSeconds: this.pollingIntervalSeconds },
        async (jobs) => {
          try {
            await this.handleBatch(jobs, handler);
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

  /**
   * Fedify's messages are handled each on its own, side by side; the batch handler's together,
   * and if that fails, one by one, so that one bad job does not hold the others back. A job that
   * fails is failed alone (retried by pg-boss); pg-boss completes the rest when this returns.
   */
  private async handleBatch(jobs: PgBoss.Job<unknown>[], handler: (message: unknown) => Promise<void> | void) {
    if (jobs.length === 1 && !this.batchHandler?.accepts(jobs[0].data)) return handler(jobs[0].data);
    const batched = jobs.filter((j) => this.batchHandler?.accepts(j.data));
    const single = jobs.filter((j) => !batched.includes(j));
    const failed: string[] = [];
    // at most SIDE_BY_SIDE at a time, so that a batch of slow jobs (remote fetches) ends well
    // within pg-boss's expiry and the database pool is not flooded
    const each = async (list: PgBoss.Job<unknown>[], run: (j: PgBoss.Job<unknown>) => Promise<void> | void) => {
      let next = 0;
      const lane = async () => {
        for (let j = list[next++]; j; j = list[next++]) {
          try {
            await run(j);
          } catch (error) {
            logger.warn("Queue {name}: job {id} failed: {error}", { name: this.name, id: j.id, error });
            failed.push(j.id);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(SIDE_BY_SIDE, list.length) }, lane));
    };
    const together = async () => {
      if (batched.length === 0) return;
      try {
        await this.batchHandler!.handle(batched.map((j) => j.data));
      } catch {
        await each(batched, (j) => this.batchHandler!.handle([j.data]));
      }
    };
    await Promise.all([together(), each(single, (j) => handler(j.data))]);
    if (failed.length === jobs.length) throw new Error(`queue ${this.name}: every job of the batch failed`);
    if (failed.length) await this.boss.fail(this.name, failed);
  }

  async getDepth() {
    return { queued: await this.boss.getQueueSize(this.name) };
  }
}
