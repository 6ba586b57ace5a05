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

/** Jobs a worker takes at once from the batch queue, by default: one transaction's worth of notes. */
const BATCH_SIZE = 64;
/**
 * After a batch smaller than asked for, a worker waits this long before it fetches again (instead
 * of the polling interval, or not at all). On PGlite, `bench:inbox` (5,000 replies, 32 concurrent):
 * 350 accepted/s and 3.2 ms of CPU per reply, against 295/s and 3.8 ms fetching at once.
 */
const PARTIAL_BATCH_PAUSE_MS = 100;
/** A failed batch's jobs, retried one by one, run this many at a time. */
const SIDE_BY_SIDE = 8;

/** Handles many jobs together, e.g. one transaction for many notes. */
export interface BatchHandler {
  handle(data: unknown[]): Promise<void>;
}

/**
 * The queue a batch handler's jobs go to, beside Fedify's: Fedify's own jobs (follows, fetches of
 * remote objects) stay one at a time per worker, so that no worker hoards slow jobs that others
 * could run, and a worker told to stop has only a few to finish.
 */
export const batchQueueOf = (name: string) => `${name}-batch`;

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
  private batchWorkers = 0;
  private batchSize = BATCH_SIZE;

  constructor(
    private readonly boss: PgBoss,
    readonly name: string,
    private readonly concurrency: number,
    private readonly pollingIntervalSeconds = 0.5,
  ) {}

  async ensure(): Promise<this> {
    await this.boss.createQueue(this.name);
    await this.boss.createQueue(batchQueueOf(this.name));
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

  /**
   * Jobs of the batch queue ({@link batchQueueOf}) are handled by this handler, up to `batchSize`
   * at once, by `workers` batch workers per process (default: the queue's concurrency).
   */
  setBatchHandler(handler: BatchHandler, { workers = this.concurrency, batchSize = BATCH_SIZE } = {}): this {
    this.batchHandler = handler;
    this.batchWorkers = workers;
    this.batchSize = batchSize;
    return this;
  }

  /**
   * pg-boss waits a polling interval after every fetch, which caps a worker at two fetches a
   * second; a worker that found a full batch looks for more at once, one that found a partial
   * batch shortly after, and it idles only when none is left.
   */
  private async work(name: string, batchSize: number, run: (jobs: PgBoss.Job<unknown>[]) => Promise<void>) {
    let id = "";
    id = await this.boss.work(
      name,
      { batchSize, pollingIntervalSeconds: this.pollingIntervalSeconds },
      async (jobs) => {
        try {
          await run(jobs);
        } finally {
          // a full batch: more is waiting, fetch at once; a partial one: let the next batch
          // gather a moment, so that a busy inbox is handled in fuller (cheaper) transactions
          if (id && jobs.length === batchSize) this.boss.notifyWorker(id);
          else if (id) setTimeout(() => this.boss.notifyWorker(id), PARTIAL_BATCH_PAUSE_MS).unref();
        }
      },
    );
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options?: MessageQueueListenOptions,
  ): Promise<void> {
    const batchQueue = batchQueueOf(this.name);
    for (let i = 0; i < this.concurrency; i++) await this.work(this.name, 1, async ([job]) => handler(job.data));
    if (this.batchHandler)
      for (let i = 0; i < this.batchWorkers; i++)
        await this.work(batchQueue, this.batchSize, (jobs) => this.handleBatch(jobs));
    const stop = () => Promise.all([this.boss.offWork(this.name), this.boss.offWork(batchQueue)]);
    if (options?.signal?.aborted) return void (await stop());
    await new Promise<void>((resolve) => options?.signal?.addEventListener("abort", () => resolve(), { once: true }));
    await stop();
  }

  /**
   * The jobs together; if that fails, one by one, so that one bad job does not hold the others
   * back. A job that fails alone is failed (retried by pg-boss); pg-boss completes the rest.
   */
  private async handleBatch(jobs: PgBoss.Job<unknown>[]) {
    const handler = this.batchHandler!;
    try {
      return await handler.handle(jobs.map((j) => j.data));
    } catch (error) {
      if (jobs.length === 1) throw error;
    }
    const failed: string[] = [];
    let next = 0;
    const lane = async () => {
      for (let j = jobs[next++]; j; j = jobs[next++]) {
        try {
          await handler.handle([j.data]);
        } catch (error) {
          logger.warn("Queue {name}: job {id} failed: {error}", { name: batchQueueOf(this.name), id: j.id, error });
          failed.push(j.id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SIDE_BY_SIDE, jobs.length) }, lane));
    if (failed.length === jobs.length)
      throw new Error(`queue ${batchQueueOf(this.name)}: every job of the batch failed`);
    if (failed.length) await this.boss.fail(batchQueueOf(this.name), failed);
  }

  async getDepth() {
    const sizes = await Promise.all([this.name, batchQueueOf(this.name)].map((n) => this.boss.getQueueSize(n)));
    return { queued: sizes[0] + sizes[1] };
  }
}
