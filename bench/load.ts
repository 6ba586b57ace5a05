/**
 * Load and faults: a burst of signed replies to a campaign into one web and two worker processes.
 *
 *   npm run bench:load -- [--count 20000] [--concurrency 32] [--actors 100] [--queue-concurrency 4]
 *                         [--kill-worker] [--stop-postgres [--stop-seconds 10]]
 *
 * Ensemble runs as three real processes (ENSEMBLE_ROLE=web, and two ENSEMBLE_ROLE=worker) on a
 * scratch database of the local PostgreSQL (TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test), dropped at the end. A Mastodon-like peer in this
 * process serves its accounts' keys; every POST is a `Create(Note)` replying to a published
 * campaign, signed (draft-cavage) before the timed window.
 *
 * Figures: accepted/s and p50/p99 latency of the inbox's 202s; processed/s until every note
 * is stored; that each note is stored exactly once (and scored, when the emotion model is
 * wired in); pg-boss's view (completed, retried, failed inbox jobs).
 *
 * --kill-worker    SIGKILL one worker a third of the way through the burst, restart it 2 s
 *                  later: its jobs in flight expire and are retried (pg-boss expireInSeconds),
 *                  nothing lost, nothing stored twice.
 * --stop-postgres  stop the whole local PostgreSQL cluster a third of the way through, for
 *                  --stop-seconds (10), with pg_ctlcluster; it is ALWAYS started again (finally).
 *                  The inbox answers 503 + Retry-After meanwhile; the sender retries (after 1 s
 *                  here, to keep the run short); the processes resume alone. Other users of that
 *                  PostgreSQL see the outage too: run it on a machine of your own.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { scratchDatabase } from "../test/helpers/databases";
import { freePort } from "../test/helpers/ensemble";
import { post, replyCreate, startPeer, type PreparedPost } from "../test/helpers/mastodon-peer";
import { seedCampaign } from "../test/helpers/open-campaign";
import { startServerProcess, type ServerProcess } from "../test/helpers/process";
import { loadavg, quantile, sleep, sorted } from "./lib/figures";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "32" },
    actors: { type: "string", default: "100" },
    "queue-concurrency": { type: "string", default: "4" },
    "kill-worker": { type: "boolean", default: false },
    "stop-postgres": { type: "boolean", default: false },
    "stop-seconds": { type: "string", default: "10" },
  },
});
const COUNT = Number(args.count);
const CONCURRENCY = Number(args.concurrency);
const ACTORS = Number(args.actors);
const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function pgCluster(action: "stop" | "start") {
  const version = readdirSync("/etc/postgresql")[0];
  try {
    execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action], { stdio: "inherit" });
  } catch (e) {
    // starting a cluster that is already running fails harmlessly; anything else is reported
    if (action === "stop") throw e;
    console.error(`pg_ctlcluster start: ${(e as Error).message}`);
  }
}

async function main() {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; load ${loadavg(" ")}`,
  );
  const faults = [
    args["kill-worker"] && "kill-worker",
    args["stop-postgres"] && `stop-postgres ${args["stop-seconds"]} s`,
  ].filter(Boolean);
  console.log(
    `load: ${COUNT} signed Create(Note) from ${ACTORS} actors, ${CONCURRENCY} at a time → 1 web + 2 workers (queue concurrency ${args["queue-concurrency"]}); faults: ${faults.join(", ") || "none"}`,
  );

  const db = await scratchDatabase(admin, "ensemble_bench");
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  const usernames = Array.from({ length: ACTORS }, (_, i) => `u${i}`);
  const peer = await startPeer({ usernames, sharedKey: true, cacheKeys: true });
  const procs: ServerProcess[] = [];
  let postgresStopped = false;
  // interrupted mid-outage: PostgreSQL is started again before leaving
  process.once("SIGINT", () => {
    if (postgresStopped) pgCluster("start");
    process.exit(130);
  });
  try {
    const webPort = await freePort();
    const origin = `http://127.0.0.1:${webPort}`;
    const env: Record<string, string> = {
      ENSEMBLE_ORIGIN: origin,
      ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
      // a load test is one flood from one server: measure throughput, not the flood limits
      ENSEMBLE_RATE_INBOX_SERVER: "0",
      ENSEMBLE_RATE_INBOX_ACTOR: "0",
      ENSEMBLE_RATE_INBOX_ADDRESS: "0",
      DATABASE_URL: db.url,
      ENSEMBLE_QUEUE_CONCURRENCY: String(args["queue-concurrency"]),
      LOG_LEVEL: "error",
    };
    const { questionId } = await seedCampaign(db.url, origin);
    const startWorker = async () => {
      const p = await freePort();
      return startServerProcess({ ...env, PORT: String(p), ENSEMBLE_ROLE: "worker" }, `http://127.0.0.1:${p}`);
    };
    procs.push(await startServerProcess({ ...env, PORT: String(webPort), ENSEMBLE_ROLE: "web" }, origin));
    procs.push(await startWorker(), await startWorker());

    const signStart = performance.now();
    const requests: PreparedPost[] = Array.from({ length: COUNT }, (_, n) => {
      const username = usernames[n % ACTORS];
      return peer.prepare(
        `${origin}/inbox`,
        replyCreate(peer, username, questionId, n, `Reply ${n}: on y va, samedi !`),
        {
          username,
        },
      );
    });
    console.log(
      `signed ${COUNT} requests in ${((performance.now() - signStart) / 1000).toFixed(1)} s (outside the timed window); load ${loadavg(" ")}`,
    );

    const latencies: number[] = [];
    const statuses = new Map<string, number>();
    let unavailable = 0;
    let faultAt: number | undefined;
    let faultDone: Promise<void> | undefined;
    const third = Math.floor(COUNT / 3);
    let next = 0;
    let sent = 0;
    const t0 = performance.now();

    const injectFault = async () => {
      faultAt = performance.now() - t0;
      if (args["kill-worker"]) {
        // strike while jobs are in flight (between the workers), so some die with it
        let active = 0;
        for (let tries = 0; tries < 250 && active < 3; tries++) {
          active = Number(
            (
              await sql`select count(*)::int as n from pgboss.job where name like 'fedify-inbox%' and state = 'active'`
            )[0].n,
          );
          if (active < 3) await sleep(20);
        }
        const victim = procs[1];
        victim.child.kill("SIGKILL");
        await victim.exited;
        faultAt = performance.now() - t0;
        console.log(
          `  ${(faultAt / 1000).toFixed(1)} s: worker 1 SIGKILLed with ${active} inbox jobs active between the two workers; restarting in 2 s`,
        );
        await sleep(2000);
        procs[1] = await startWorker();
      }
      if (args["stop-postgres"]) {
        console.log(`  ${(faultAt / 1000).toFixed(1)} s: stopping PostgreSQL for ${args["stop-seconds"]} s`);
        postgresStopped = true;
        pgCluster("stop");
        await sleep(Number(args["stop-seconds"]) * 1000);
        pgCluster("start");
        postgresStopped = false;
        console.log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s: PostgreSQL started again`);
      }
    };

    const client = async () => {
      for (;;) {
        const i = next++;
        if (i >= COUNT) return;
        if (i === third && faults.length) faultDone = injectFault();
        for (;;) {
          const start = performance.now();
          let status: string;
          try {
            const res = await post(requests[i]);
            await res.arrayBuffer();
            status = String(res.status);
          } catch (e) {
            status = `error ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === "202") {
            latencies.push(performance.now() - start);
            break;
          }
          if (status === "503") unavailable++;
          if (status !== "503" && !status.startsWith("error")) break; // anything else is a failure, counted
          await sleep(1000); // a real sender honours Retry-After (10 s); 1 s keeps the run short
        }
        sent++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const acceptMs = performance.now() - t0;
    await faultDone;

    // processing: until every note is stored, or nothing moves for 4 minutes (a killed worker's
    // jobs come back after pg-boss's expiry, 120 s, and its next maintenance pass, 30 s)
    let stored = 0;
    let lastChange = performance.now();
    for (;;) {
      let now = stored;
      try {
        now = Number((await sql`select count(*)::int as n from inbound_notes`)[0].n);
      } catch {
        // the database may still be coming back
      }
      if (now !== stored) lastChange = performance.now();
      stored = now;
      if (stored >= COUNT || performance.now() - lastChange > 240_000) break;
      await sleep(250);
    }
    const processMs = performance.now() - t0;

    const [{ rows, distinct, scored }] = await sql`
      select count(*)::int as rows, count(distinct iri)::int as distinct,
             count(*) filter (where emotion_scores is not null)::int as scored from inbound_notes`;
    const jobs = await sql`
      select state, count(*)::int as n, count(*) filter (where retry_count > 0)::int as retried
      from pgboss.job where name like 'fedify-inbox%' group by state`;
    const jobSummary = jobs.map((j) => `${j.state} ${j.n}${j.retried ? ` (${j.retried} retried)` : ""}`).join(", ");

    console.log(`load after: ${loadavg(" ")}`);
    console.log(`HTTP: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}; 503 answers: ${unavailable}`);
    console.log(
      `accepted: ${sent} in ${(acceptMs / 1000).toFixed(1)} s → ${(sent / (acceptMs / 1000)).toFixed(0)}/s; 202 latency p50 ${quantile(sorted(latencies), 0.5).toFixed(0)} ms, p99 ${quantile(sorted(latencies), 0.99).toFixed(0)} ms`,
    );
    console.log(
      `processed: ${stored} stored in ${(processMs / 1000).toFixed(1)} s from the first POST → ${(stored / (processMs / 1000)).toFixed(0)}/s`,
    );
    console.log(
      `exactly once: ${rows} rows, ${distinct} distinct notes of ${COUNT} sent; scored: ${scored}${scored === 0 ? " (no NoteScorer wired into the server: emotion_scores stays null)" : ""}`,
    );
    console.log(`inbox jobs: ${jobSummary}`);
    const ok = rows === COUNT && distinct === COUNT && (scored === 0 || scored === COUNT);
    console.log(ok ? "OK: nothing lost, nothing doubled" : "NOT OK");
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (postgresStopped) {
      try {
        pgCluster("start");
      } catch (e) {
        console.error("could not start PostgreSQL again:", e);
      }
    }
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
    await sql.end();
    await peer.close();
    await db.drop();
  }
}

await main();
