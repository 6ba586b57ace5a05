import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { Services } from "../services";
import { runDbCommand } from "../ops/commands";

/**
 * CLI commands reach the database through the running server, because PGlite serves one
 * process per data folder. The token lives only in the 0600 lock file of that folder.
 */
export function adminApi(services: Services, token: string): Hono {
  const expected = Buffer.from(`Bearer ${token}`);
  const app = new Hono();
  app.post("/_ensemble/admin", async (c) => {
    const given = Buffer.from(c.req.header("authorization") ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return c.json({ error: "forbidden" }, 403);
    const { argv } = await c.req.json<{ argv: string[] }>();
    return c.json(await runDbCommand(argv, services));
  });
  return app;
}
