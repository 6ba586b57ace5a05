/**
 * Fan-out: one campaign published to many followers spread over many servers.
 *
 *   npm run bench:fanout -- [--servers 1000] [--followers 10000] [--dead 0.1] [--workers 1]
 *                           [--concurrency 16] [--failure-limit 3] [--observe 20]
 *
 * Every server is an in-process HTTP server on its own 127.0.0.1 port with a shared inbox
 * (`/inbox`) that all its followers name; a `--dead` fraction of them are down (they accept a
 * TCP connection and reset it, so each attempt is counted). Ensemble runs as real processes on
 * a scratch PostgreSQL database (TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test):
 * `--workers` worker processes deliver; the Create(Question) is enqueued by a web-role
 * Ensemble in this process, as the steward API would.
 *
 * Figures: time until every live server has the activity, deliveries/s, duplicates (must be
 * 0: one POST per server, whatever its follower count), and for the dead servers the number
 * of attempts each got: retried with backoff until the failure limit, then skipped (the
 * circuit stays open for ENSEMBLE_HOST_RETRY_AFTER_SECONDS, set here above the observation).
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config";
import { followers } from "../drizzle/schema";
import { announceCampaign } from "../federation/outbox";
import { findCommunity } from "../src/domain/communities";
import { findCampaign } from "../src/domain/campaigns";
import { startEnsemble } from "../src/server";
import { freePort } from "../test/helpers/ensemble";
import { startServerProcess, type ServerProcess } from "../test/helpers/process";
import { quantile, sorted } from "./lib/figures";
import { scratchDatabase } from "../test/helpers/databases";
import { seedCampaign } from "../test/helpers/open-campaign";

const { values: args } = parseArgs({
  options: {
    servers: { type: "string", default: "1000" },
    followers: { type: "string", default: "10000" },
    dead: { type: "string", default: "0.1" },
    workers: { type: "string", default: "1" },
    concurrency: { type: "string", default: "16" },
    "failure-limit": { type: "string", default: "3" },
    observe: { type: "string", default: "20" },
  },
});
const SERVERS = Number(args.servers);
const FOLLOWERS = Number(args.followers);
const DEAD = Math.round(SERVERS * Number(args.dead));
const WORKERS = Number(args.workers);
const FAILURE_LIMIT = Number(args["failure-limit"]);
const OBSERVE_S = Number(args.observe);
const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface Remote {
  origin: string;
  dead: boolean;
  /** Live: POSTs by activity id. Dead: connection attempts (timestamps). */
  posts: Map<string, number>;
  attempts: number[];
  firstAt?: number;
  close(): Promise<void>;
}

async function startRemote(dead: boolean): Promise<Remote> {
  const remote: Remote = { origin: "", dead, posts: new Map(), attempts: [], close: async () => {} };
  let server: Server | TcpServer;
  if (dead) {
    server = createTcpServer((socket) => {
      remote.attempts.push(performance.now());
      socket.resetAndDestroy();
    });
  } else {
    server = createHttpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.method === "POST" && req.url === "/inbox") {
        const id = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: string }).id ?? "?";
        remote.posts.set(id, (remote.posts.get(id) ?? 0) + 1);
        remote.firstAt ??= performance.now();
        res.writeHead(202).end();
        return;
      }
      res.writeHead(404).end();
    });
    (server as Server).keepAliveTimeout = 60_000;
  }
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  remote.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  remote.close = () =>
    new Promise<void>((r) => {
      (server as Server).closeAllConnections?.();
      server.close(() => r());
    });
  return remote;
}

async function main() {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    `fan-out: ${FOLLOWERS} followers on ${SERVERS} servers (${DEAD} down), ${WORKERS} worker(s) × concurrency ${args.concurrency}, failure limit ${FAILURE_LIMIT}`,
  );
  const db = await scratchDatabase(admin, "ensemble_bench");
  const remotes: Remote[] = [];
  const workers: ServerProcess[] = [];
  let web: Awaited<ReturnType<typeof startEnsemble>> | undefined;
  try {
    // every (SERVERS / DEAD)-th server is down
    const step = DEAD ? SERVERS / DEAD : Infinity;
    for (let i = 0, down = 0; i < SERVERS; i++) {
      const dead = down < DEAD && i >= down * step;
      if (dead) down++;
      remotes.push(await startRemote(dead));
    }
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      ENSEMBLE_ORIGIN: origin,
      ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
      DATABASE_URL: db.url,
      ENSEMBLE_QUEUE_CONCURRENCY: String(args.concurrency),
      ENSEMBLE_HOST_FAILURE_LIMIT: String(FAILURE_LIMIT),
      ENSEMBLE_HOST_RETRY_AFTER_SECONDS: String(Math.max(600, OBSERVE_S * 10)),
      LOG_LEVEL: "error",
    };
    const { communityId, campaignId } = await seedCampaign(db.url, origin);

    // the web node (this process): enqueues only
    web = await startEnsemble(loadConfig({ ...env, PORT: String(port), ENSEMBLE_ROLE: "web" }));
    const rows = Array.from({ length: FOLLOWERS }, (_, i) => {
      const r = remotes[i % SERVERS];
      return {
        communityId,
        actorIri: `${r.origin}/users/u${i}`,
        inboxUrl: `${r.origin}/users/u${i}/inbox`,
        sharedInboxUrl: `${r.origin}/inbox`,
      };
    });
    for (let i = 0; i < rows.length; i += 1000) await web.services.db.insert(followers).values(rows.slice(i, i + 1000));

    for (let w = 0; w < WORKERS; w++) {
      const p = await freePort();
      workers.push(
        await startServerProcess({ ...env, PORT: String(p), ENSEMBLE_ROLE: "worker" }, `http://127.0.0.1:${p}`),
      );
    }

    const live = remotes.filter((r) => !r.dead);
    const dead = remotes.filter((r) => r.dead);
    const community = (await findCommunity(web.services.db, "climat"))!;
    const campaign = (await findCampaign(web.services.db, campaignId))!;
    const ctx = web.federation.createContext(new URL(origin), web.services);
    const t0 = performance.now();
    await announceCampaign(ctx, community, campaign);
    const enqueuedMs = performance.now() - t0;

    const deadline = t0 + 300_000;
    while (live.some((r) => r.posts.size === 0) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const doneMs = performance.now() - t0;
    const reached = live.filter((r) => r.posts.size > 0).length;
    const arrivals = live.filter((r) => r.firstAt).map((r) => r.firstAt! - t0);

    // the dead servers: retried with backoff until the failure limit opens their circuit…
    const limitDeadline = performance.now() + 120_000;
    while (dead.some((r) => r.attempts.length < FAILURE_LIMIT) && performance.now() < limitDeadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const openedMs = performance.now() - t0;
    // …then skipped: watch a quiet window (late duplicates would show here as well)
    const before = dead.reduce((n, r) => n + r.attempts.length, 0);
    await new Promise((r) => setTimeout(r, OBSERVE_S * 1000));
    const inWindow = dead.reduce((n, r) => n + r.attempts.length, 0) - before;
    const dupes = live.reduce((n, r) => n + [...r.posts.values()].reduce((m, c) => m + (c - 1), 0), 0);
    const extraActivities = live.filter((r) => r.posts.size > 1).length;
    const attempts = dead.map((r) => r.attempts.length);
    const gaps = dead.flatMap((r) => r.attempts.slice(1).map((t, i) => t - r.attempts[i]));
    console.log(
      `load after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(`enqueue (announceCampaign → fan-out message): ${enqueuedMs.toFixed(0)} ms`);
    console.log(
      `live servers reached: ${reached}/${live.length} in ${(doneMs / 1000).toFixed(1)} s → ${(reached / (doneMs / 1000)).toFixed(0)} deliveries/s (p50 ${(quantile(sorted(arrivals), 0.5) / 1000).toFixed(1)} s, p99 ${(quantile(sorted(arrivals), 0.99) / 1000).toFixed(1)} s after publish)`,
    );
    console.log(
      `duplicate POSTs of the activity to one inbox: ${dupes}; servers that got another activity: ${extraActivities}`,
    );
    console.log(
      `dead servers: attempts each min ${Math.min(...attempts)} / median ${quantile(sorted(attempts), 0.5)} / max ${Math.max(...attempts)} (failure limit ${FAILURE_LIMIT}), ${(quantile(sorted(gaps), 0.5) / 1000).toFixed(1)} s median between attempts; all at the limit ${(openedMs / 1000).toFixed(1)} s after publish; attempts in the ${OBSERVE_S} s after: ${inWindow}`,
    );
    const ok =
      reached === live.length &&
      dupes === 0 &&
      extraActivities === 0 &&
      Math.min(...attempts) === FAILURE_LIMIT &&
      inWindow === 0;
    console.log(ok ? "OK: every live server once, dead ones retried then skipped" : "NOT OK");
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const w of workers) w.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    await web?.close();
    await Promise.all(remotes.map((r) => r.close()));
    await db.drop();
  }
}

await main();
