import { getLogger } from "@logtape/logtape";
import type { Context, ErrorHandler } from "hono";
import { Hono } from "hono";
import { problem } from "./problem";

/** Seconds a client is told to wait (`Retry-After`) when the database or the queue is out of reach. */
export const RETRY_AFTER_SECONDS = 10;
/** A readiness probe that has not answered by then counts as failed (a dead host can hang a connect). */
const PROBE_TIMEOUT_MS = 2_000;

const logger = getLogger(["ensemble", "health"]);
const httpLogger = getLogger(["ensemble", "http"]);

export interface HealthProbes {
  /** `select 1` on the application's pool. */
  database(): Promise<unknown>;
  /** A query through the queue engine's own connection. */
  queue(): Promise<unknown>;
}

/**
 * What `/readyz` reports. `draining` is set when shutdown begins, so a load balancer stops
 * sending work before the listener closes.
 */
export class Health {
  draining = false;
  constructor(private readonly probes: HealthProbes) {}

  async check(): Promise<{ ready: boolean; reason?: string; checks: Record<string, string> }> {
    if (this.draining) return { ready: false, reason: "shutting down", checks: {} };
    const names = Object.keys(this.probes) as Array<keyof HealthProbes>;
    const results = await Promise.all(names.map((name) => withTimeout(this.probes[name](), PROBE_TIMEOUT_MS)));
    const checks: Record<string, string> = {};
    const failed: string[] = [];
    names.forEach((name, i) => {
      const r = results[i];
      checks[name] = r.ok ? "ok" : r.error;
      if (!r.ok) failed.push(`${name}: ${r.error}`);
    });
    return failed.length ? { ready: false, reason: `${failed.join("; ")}`, checks } : { ready: true, checks };
  }
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<{ ok: true } | { ok: false; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return { ok: true };
  } catch (e) {
    p.catch(() => {}); // the late rejection of a timed-out probe is expected
    return { ok: false, error: describe(e) };
  } finally {
    clearTimeout(timer);
  }
}

function describe(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: unknown };
  const root = err?.cause && !err.code ? (err.cause as { code?: string; message?: string }) : err;
  const message = root?.message || String(e);
  return root?.code && !message.includes(root.code) ? `${root.code} ${message}` : message;
}

/**
 * `/healthz`: 200 while the process serves HTTP (liveness). `/readyz`: 200 when the database
 * and the queue answer, 503 with the reason otherwise, and from the start of shutdown.
 */
export function healthRoutes(health: Health): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }, 200, { "Cache-Control": "no-store" }));
  app.get("/readyz", async (c) => {
    const result = await health.check();
    if (result.ready) return c.json({ status: "ready", checks: result.checks }, 200, { "Cache-Control": "no-store" });
    return c.json({ status: "unavailable", reason: result.reason, checks: result.checks }, 503, {
      "Cache-Control": "no-store",
      "Retry-After": String(RETRY_AFTER_SECONDS),
    });
  });
  return app;
}

// Connection-level failures: postgres.js (CONNECTION_*, CONNECT_TIMEOUT), node-postgres and
// sockets (E*), and the server's own refusals (SQLSTATE class 08, 57P01-57P03 shutdown, 53300 too many connections).
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);
const unavailableMessages = [
  /Connection terminated/i,
  /connection (was )?(closed|ended|reset)/i,
  /Client has encountered a connection error/i,
];

/** Whether an error (or one it wraps) means the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 8) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && unavailableCodes.has(e.code)) return true;
  if (typeof e.message === "string" && unavailableMessages.some((r) => r.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

let lastUnavailableLog = 0;

/**
 * Refuses what cannot be kept: when the database is out of reach, a request (an inbox POST in
 * particular) is answered 503 with Retry-After, so the sender keeps the activity and retries,
 * instead of a 500 it might count as a permanent failure. Anything else is a logged 500.
 */
export const unavailableOnError: ErrorHandler = (error, c: Context) => {
  if (isDatabaseUnavailable(error)) {
    const now = Date.now();
    if (now - lastUnavailableLog > 5_000) {
      lastUnavailableLog = now;
      logger.warn("Database unreachable; answering 503 to {method} {path}: {error}", {
        method: c.req.method,
        path: c.req.path,
        error: describe(error),
      });
    }
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    return problem(c, 503, "Service unavailable", "The database is out of reach; retry later.");
  }
  if ("getResponse" in error && typeof error.getResponse === "function") return error.getResponse();
  httpLogger.error("Unhandled error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error });
  return c.text("Internal Server Error", 500);
};

/**
 * pg-boss 10 records a job's completion or failure without awaiting it; when the database drops
 * at that moment the rejection is unhandled and would end the process. Such a job stays
 * active and is retried after it expires (handlers are idempotent), so the process keeps
 * running; any other unhandled rejection still stops it (exit 1).
 */
export function tolerateDatabaseOutages(): void {
  let last = 0;
  process.on("unhandledRejection", (reason) => {
    if (isDatabaseUnavailable(reason)) {
      if (Date.now() - last > 10_000) {
        last = Date.now();
        logger.warn("Database unreachable while recording a job's outcome; it will be retried: {error}", {
          error: describe(reason),
        });
      }
      return;
    }
    logger.fatal("Unhandled rejection: {error}", { error: reason });
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}
