import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as relations from "../../drizzle/relations";
import * as tables from "../../drizzle/schema";
import { acquireDataDirLock } from "./lock";
import { projectPath } from "../project-root";
import { ensurePgliteCluster, PGLITE_START_PARAMS } from "./pglite-folder";

/** Tables and their relations (drizzle/relations.ts), so that `db.query.*.findMany({ with: … })` works. */
const schema = { ...tables, ...relations };
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** pg-boss's bring-your-own-connection interface. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** How the queue engine reaches the same database. */
  queueConnection: { db: SqlExecutor } | { connectionString: string };
  /** For the data-folder lock: lets the owner publish its admin endpoint. */
  announce?(owner: { adminUrl: string; adminToken: string }): void;
  close(): Promise<void>;
}

const migrationsFolder = projectPath("drizzle", "migrations");

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite folder; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPglite(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const client = postgres(url, { max: poolSize, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema });
  await migratePostgres(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: "postgres",
    queueConnection: { connectionString: url },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === "memory://";
  const lock = inMemory ? undefined : acquireDataDirLock(dataDir);
  try {
    if (!inMemory) ensurePgliteCluster(`${dataDir}/pglite`);
    const pg = new PGlite(inMemory ? undefined : `${dataDir}/pglite`, { startParams: PGLITE_START_PARAMS });
    const db = drizzlePglite(pg, { schema });
    await migratePglite(db, { migrationsFolder });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      queueConnection: {
        db: {
          async executeSql(text, values) {
            if (values?.length) return pg.query(text, values);
            // pg-boss sends multi-statement scripts without parameters, which only exec() runs
            const results = await pg.exec(text);
            return results.at(-1) ?? { rows: [] };
          },
        },
      },
      announce: lock ? (owner) => lock.update(owner) : undefined,
      async close() {
        await pg.close();
        lock?.release();
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}
