import { Hono } from "hono";
import { describeError } from "../db/unavailable";
import { RETRY_AFTER_SECONDS } from "./on-error";

/** A readiness probe that has not answered by then counts as failed (a dead host can hang a connect). */
const PROBE_TIMEOUT_MS = 2_000;

export interface HealthProbes {
  /** `select 1` on the application's pool. */
  database(): Promise<unknown>;
  /** A query through the queue engine's own connection. */
  queue(): Promise<unknown>;
}

/**
 * What `/readyz` reports. `starting` stays set until the process's workers run (the listener
 * opens before them, so the admin token can be announced), so an orchestrator that signals a
 * "ready" process never catches it half-started. `draining` is set when shutdown begins, so a
 * load balancer stops sending work before the listener closes.
 */
export class Health {
  starting = true;
  draining = false;
  constructor(private readonly probes: HealthProbes) {}

  async check(): Promise<{ ready: boolean; reason?: string; checks: Record<string, string> }> {
    if (this.draining) return { ready: false, reason: "shutting down", checks: {} };
    if (this.starting) return { ready: false, reason: "starting", checks: {} };
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
    return { ok: false, error: describeError(e) };
  } finally {
    clearTimeout(timer);
  }
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
