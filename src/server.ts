import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Federation } from "@fedify/fedify";
import { serve, type ServerType } from "@hono/node-server";
import type PgBoss from "pg-boss";
import { createEnsembleFederation, type Services } from "../federation";
import { DrizzleKvStore } from "../federation/kv";
import { PgBossMessageQueue, startQueueEngine } from "../federation/queue";
import { createTasks, startTaskWorkers } from "../federation/tasks";
import type { Config } from "./config";
import { openDatabase, type Database } from "./db/database";
import { createApp } from "./http/app";

export interface Ensemble {
  url: string;
  services: Services;
  federation: Federation<Services>;
  database: Database;
  boss: PgBoss;
  close(): Promise<void>;
}

/** Assembles one Ensemble process: database, queue engine, federation, HTTP, and (unless web-only) workers. */
export async function startEnsemble(config: Config): Promise<Ensemble> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
  });
  const boss = await startQueueEngine({ connection: database.queueConnection, poolSize: config.dbPoolSize });
  const queue = {
    inbox: await new PgBossMessageQueue(boss, "fedify-inbox", config.queueConcurrency).ensure(),
    outbox: await new PgBossMessageQueue(boss, "fedify-outbox", config.queueConcurrency).ensure(),
  };
  const kv = new DrizzleKvStore(database.db);
  const federation = createEnsembleFederation({ config, kv, queue });
  const services: Services = { db: database.db, config, tasks: await createTasks(boss) };
  const adminToken = database.kind === "pglite" ? randomBytes(24).toString("base64url") : undefined;
  const app = createApp(federation, services, adminToken);

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  if (adminToken) database.announce?.({ adminUrl: `http://127.0.0.1:${port}`, adminToken });

  const workers = new AbortController();
  if (config.role !== "web") {
    void federation.startQueue(services, { signal: workers.signal });
    await startTaskWorkers(boss, federation, services);
  }
  const sweeper = setInterval(() => void kv.sweep().catch(() => {}), 10 * 60_000);
  sweeper.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    services,
    federation,
    database,
    boss,
    async close() {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      workers.abort();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await database.close();
    },
  };
}
