import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Federation } from "@fedify/fedify";
import { serve, type ServerType } from "@hono/node-server";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import postgres from "postgres";
import { accountLookup, createEnsembleFederation } from "../federation";
import { fastLaneHandler, fastLaneQueue } from "../federation/fast-lane";
import { DrizzleKvStore } from "./db/kv";
import { originContext, type Services } from "./services";
import { PgBossMessageQueue, batchQueueOf, startQueueEngine } from "../federation/queue";
import { createTasks, startTaskWorkers } from "../federation/tasks";
import type { Config } from "./config";
import { shippedModel, rebuildStaleRollups } from "./reports";
import { inlineScorer, loadEmotionModel } from "./emotion";
import { installOutboundGuard } from "./outbound";
import { openDatabase, type Database } from "./db/database";
import { createApp } from "./http/app";
import { sweepRateLimits } from "./http/floods";
import { Health } from "./http/health";
import type { Telemetry } from "./telemetry";

export interface Ensemble {
  url: string;
  services: Services;
  federation: Federation<Services>;
  database: Database;
  boss: PgBoss;
  health: Health;
  /**
   * Graceful stop: /readyz answers 503, the listener stops taking connections and finishes the
   * requests it has, workers finish their jobs in flight (or hand them back to the queue after
   * `timeoutMs`), then the pools close.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export interface StartOptions {
  /** OpenTelemetry providers for Fedify (see src/telemetry.ts); none by default. */
  telemetry?: Pick<Telemetry, "tracerProvider" | "meterProvider">;
}

/** "ensemble" in ASCII: the advisory lock that serialises start-ups on one PostgreSQL. */
const STARTUP_LOCK = "7308332025553529957";

/**
 * Processes started together on a fresh PostgreSQL (compose's web and worker) would race to
 * migrate and to create the queues, and deadlock: they take turns. The lock is held by a
 * session of its own, so a process that dies while starting releases it.
 */
async function withStartupLock<T>(databaseUrl: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!databaseUrl) return fn();
  const lock = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await lock.unsafe(`select pg_advisory_lock(${STARTUP_LOCK})`);
    return await fn();
  } finally {
    await lock.end({ timeout: 5 });
  }
}

/** Assembles one Ensemble process: database, queue engine, federation, HTTP, and (unless web-only) workers. */
export async function startEnsemble(config: Config, options: StartOptions = {}): Promise<Ensemble> {
  // every fetch of this process (Fedify's included) connects only to checked addresses; one Ensemble per process
  const removeOutboundGuard = installOutboundGuard({ allowPrivateAddress: config.allowPrivateAddress });
  const { database, boss, queue, tasks } = await withStartupLock(config.databaseUrl, async () => {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.dbPoolSize,
    });
    // Under the startup lock, so one process rebuilds rollups written for another set of targets.
    const reportModel = shippedModel()?.info;
    if (reportModel) await database.db.transaction((tx) => rebuildStaleRollups(tx, reportModel));
    const boss = await startQueueEngine({ connection: database.queueConnection, poolSize: config.dbPoolSize });
    const queue = {
      inbox: await new PgBossMessageQueue(boss, "fedify-inbox", config.queueConcurrency).ensure(),
      outbox: await new PgBossMessageQueue(boss, "fedify-outbox", config.queueConcurrency).ensure(),
    };
    return { database, boss, queue, tasks: await createTasks(boss, config.tallyIntervalSeconds) };
  });
  const kv = new DrizzleKvStore(database.db);
  const federation = createEnsembleFederation({
    config,
    kv,
    queue,
    tracerProvider: options.telemetry?.tracerProvider,
    meterProvider: options.telemetry?.meterProvider,
  });
  // only processes that handle the inbox score notes; web nodes never load the model
  const scoreNote = config.role === "web" ? undefined : inlineScorer(await loadEmotionModel());
  const services: Services = { db: database.db, config, tasks, scoreNote };
  services.lookupAccount = accountLookup(originContext(federation, services));
  const adminToken = database.kind === "pglite" ? randomBytes(24).toString("base64url") : undefined;
  const health = new Health({
    database: () => database.db.execute(sql`select 1`),
    queue: () => boss.getDb().executeSql("select 1 from pgboss.version", []),
  });
  // the inbox's fast lane has a queue beside Fedify's inbox queue, whose jobs the same workers take in batches
  // PGlite is one connection in this process: a second batch worker's transaction would only
  // queue behind the first, and the inbox's group commits behind both (its 202s wait on them).
  // For the same reason its batches are half the size: a shorter transaction to wait behind.
  // `bench:inbox`, 5,000 replies, 7 runs of each: p99 of the 202 206-273 ms against 245-327 ms
  // with 64, at ~15% fewer replies stored per second (171-248/s against 233-282/s)
  queue.inbox.setBatchHandler(
    fastLaneHandler(federation, services),
    database.kind === "pglite" ? { workers: 1, batchSize: 32 } : { workers: config.queueConcurrency },
  );
  const fastLane = fastLaneQueue(boss, batchQueueOf(queue.inbox.name), database.db);
  const app = createApp(federation, services, adminToken, health, fastLane);

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  if (adminToken) database.announce?.({ adminUrl: `http://127.0.0.1:${port}`, adminToken });

  const workers = new AbortController();
  if (config.role !== "web") {
    void federation.startQueue(services, { signal: workers.signal });
    await startTaskWorkers(boss, federation, services);
    await tasks.scheduleRescore();
  }
  health.starting = false;
  const sweeper = setInterval(() => {
    void kv.sweep().catch(() => {});
    void sweepRateLimits(database.db).catch(() => {});
  }, 10 * 60_000);
  sweeper.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    services,
    federation,
    database,
    boss,
    health,
    async close({ timeoutMs = 10_000 } = {}) {
      health.draining = true;
      clearInterval(sweeper);
      // stop accepting; requests in flight finish, idle keep-alive connections are closed now
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      const straggling = setTimeout(
        () => (server as { closeAllConnections?: () => void }).closeAllConnections?.(),
        timeoutMs,
      );
      await closed;
      clearTimeout(straggling);
      workers.abort();
      // waits for jobs in flight; after the timeout they are failed, so another worker retries them
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
      await database.close();
      removeOutboundGuard();
    },
  };
}
