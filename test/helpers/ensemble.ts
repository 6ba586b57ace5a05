import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config";
import { startEnsemble, type Ensemble } from "../../src/server";
import { freshPostgresDatabase, type DatabaseKind } from "./databases";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = "ensemble-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Environment for a server on 127.0.0.1 whose peers are other local test servers. */
export async function testEnv(kind: DatabaseKind, extra: Record<string, string> = {}) {
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    ENSEMBLE_ORIGIN: `http://127.0.0.1:${port}`,
    ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
    ENSEMBLE_DATA_DIR: "memory://",
    LOG_LEVEL: "error",
    ENSEMBLE_QUEUE_CONCURRENCY: "2",
    // every in-test peer connects from 127.0.0.1: one address stands for many servers here
    ENSEMBLE_RATE_INBOX_ADDRESS: "0",
    // poll updates a few seconds after a vote, not minutes, so tests see them
    ENSEMBLE_TALLY_INTERVAL_SECONDS: "2",
    ...extra,
  };
  let drop = async () => {};
  if (kind === "postgres") {
    const db = await freshPostgresDatabase();
    env.DATABASE_URL = db.url;
    drop = db.drop;
  }
  return { env, drop };
}

export interface TestEnsemble extends Ensemble {
  origin: string;
  config: Config;
  stop(): Promise<void>;
}

/** A real Ensemble server over real HTTP, on a fresh database of the given kind. */
export async function startTestEnsemble(kind: DatabaseKind, extra: Record<string, string> = {}): Promise<TestEnsemble> {
  const { env, drop } = await testEnv(kind, extra);
  const config = loadConfig(env);
  const ensemble = await startEnsemble(config);
  return {
    ...ensemble,
    origin: config.origin,
    config,
    async stop() {
      await ensemble.close();
      await drop();
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}
