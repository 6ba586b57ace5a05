import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type Database } from "../../src/db/database";

export type DatabaseKind = "pglite" | "postgres";

/** Every storage test runs on the embedded default and, when TEST_DATABASE_URL is set, on PostgreSQL. */
export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** Where scratch PostgreSQL databases are created; tests that need PostgreSQL skip without it. */
export const adminUrl = process.env.TEST_DATABASE_URL;

/** A database of its own for a run of the operations tests or a benchmark, named so leftovers are recognisable. */
export const scratchDatabase = (admin: string, prefix = "ensemble_ops") => freshPostgresDatabase(admin, prefix);

/**
 * A database of its own for one test file, so files can run in parallel; dropped by `drop()`
 * (WITH FORCE: a killed child process may leave sessions behind).
 */
export async function freshPostgresDatabase(
  admin = process.env.TEST_DATABASE_URL,
  prefix = "ensemble_test",
): Promise<{ url: string; drop(): Promise<void> }> {
  if (!admin) throw new Error("TEST_DATABASE_URL is not set");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const s = postgres(admin, { max: 1, onnotice: () => {}, connect_timeout: 30 });
      await s.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await s.end();
    },
  };
}

/** An empty Ensemble database of the given kind (PGlite in memory, or a fresh PostgreSQL database) and how to drop it. */
export async function openTestDatabase(kind: DatabaseKind): Promise<{ database: Database; drop(): Promise<void> }> {
  if (kind === "pglite") return { database: await openDatabase({ dataDir: "memory://" }), drop: async () => {} };
  const pg = await freshPostgresDatabase();
  return { database: await openDatabase({ databaseUrl: pg.url, dataDir: "" }), drop: pg.drop };
}
