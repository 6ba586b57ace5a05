// The server under test for `npm run bench:inbox`: Ensemble in a child process (the same
// `startTestEnsemble` the tests use), so that the load generator and its peer do not share its
// event loop and it can be CPU-profiled alone. Answers the commands of ipc.ts.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { and, count, inArray, isNotNull, sql } from "drizzle-orm";
import { followers, inboundNotes, participations } from "../../drizzle/schema";
import { inlineScorer, loadEmotionModel } from "../../src/emotion";
import { startTestEnsemble, tempDir } from "../../test/helpers/ensemble";
import { createOpenCampaign } from "../../test/helpers/open-campaign";
import type { ChildInit, ChildState, Kind } from "./ipc";

const send = (m: unknown) => process.send!(m);

// time the main thread spent in garbage collection, for the heap settings' trade of memory for CPU
// (a figure that, unlike CPU time, other processes on the machine hardly change)
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ["gc"] });

/** Counts the statements PGlite runs (drizzle and pg-boss both go through query/exec), by their first 70 characters. */
function countPgliteStatements(): Map<string, number> {
  const queries = new Map<string, number>();
  const proto = PGlite.prototype as any;
  for (const method of ["query", "exec"]) {
    const original = proto[method];
    proto[method] = function (this: unknown, text: string, ...rest: unknown[]) {
      const label = String(text).replace(/\s+/g, " ").trim().slice(0, 70);
      queries.set(label, (queries.get(label) ?? 0) + 1);
      return original.call(this, text, ...rest);
    };
  }
  return queries;
}

const queries = countPgliteStatements();
const init = await new Promise<ChildInit>((r) => process.once("message", (m) => r(m as ChildInit)));
// web-only while we set up; workers are started below (now, or on request with --split)
// the embedded database in a folder, as `npm start` runs it (the tests' memory:// would hold the
// whole database in this process's memory, and run initdb in it)
const dataDir = init.kind === "pglite" ? tempDir("ensemble-bench-") : undefined;
const ensemble = await startTestEnsemble(init.kind as Kind, {
  ...(dataDir ? { ENSEMBLE_DATA_DIR: dataDir.path } : {}),
  ENSEMBLE_QUEUE_CONCURRENCY: String(init.queueConcurrency),
  ENSEMBLE_ROLE: "web",
  // a load test is one flood from one server: measure throughput, not the flood limits
  ENSEMBLE_RATE_INBOX_SERVER: "0",
  ENSEMBLE_RATE_INBOX_ACTOR: "0",
  ENSEMBLE_RATE_INBOX_ADDRESS: "0",
  // the production default (the tests' 2 s would send each campaign's poll Update every 2 s
  // during a vote load, which no deployment does)
  ENSEMBLE_TALLY_INTERVAL_SECONDS: "180",
});
const db = ensemble.services.db;
// a web-role server never loads the model; the workers started below must score every note, as a
// worker process does, so "processed" means stored, scored and rolled up, not merely stored
ensemble.services.scoreNote = inlineScorer(await loadEmotionModel());
const ids: string[] = [];
// one open campaign per community, which the votes vote on
const campaigns: Record<string, string> = {};
for (const handle of init.communities) {
  const { community, campaign } = await createOpenCampaign(db, ensemble.origin, handle);
  ids.push(community.id);
  campaigns[handle] = campaign.id;
}
const workers = new AbortController();
const startWorkers = () => void ensemble.federation.startQueue(ensemble.services, { signal: workers.signal });
if (init.startWorkers) startWorkers();

async function state(): Promise<ChildState> {
  // The jobs first, in one statement: once none is left, every note they carried is committed,
  // so the counts read after it include them (read the other way round, a batch committed between
  // the two reads looked like lost notes)
  const jobs = await db.execute(
    sql.raw(`select count(*) filter (where name in ('fedify-inbox', 'fedify-inbox-batch'))::int as inbox,
                    count(*) filter (where name = 'fedify-outbox')::int as outbox
             from pgboss.job where state in ('created', 'retry', 'active')`),
  );
  const [pending] = ((jobs as any).rows ?? jobs) as Array<{ inbox: number; outbox: number }>;
  // the first community is the warm-up's: its followers are not counted
  const [{ n: followerRows }] = await db
    .select({ n: count() })
    .from(followers)
    .where(inArray(followers.communityId, ids.slice(1)));
  // a note counts once it is stored with its scores (the bench's notes all have text to score)
  const [{ n: noteRows }] = await db
    .select({ n: count() })
    .from(inboundNotes)
    .where(and(isNotNull(inboundNotes.emotionModel), isNotNull(inboundNotes.emotionScores)));
  const [{ n: voteRows }] = await db.select({ n: count() }).from(participations);
  return {
    followerRows,
    noteRows,
    voteRows,
    inbox: Number(pending.inbox),
    outbox: Number(pending.outbox),
  };
}

const session = new Session();
session.connect();
send({ type: "ready", origin: ensemble.origin, campaigns });

process.on("message", async (m: any) => {
  try {
    switch (m.cmd) {
      case "workers":
        startWorkers();
        return send({ id: m.id });
      case "state":
        return send({ id: m.id, ...(await state()) });
      case "cpu": {
        const { user, system } = process.cpuUsage();
        return send({ id: m.id, us: user + system, gcMs });
      }
      case "memory":
        return send({ id: m.id, ...process.memoryUsage() });
      case "queries": {
        const out = [...queries].sort((a, b) => b[1] - a[1]);
        queries.clear();
        return send({ id: m.id, queries: out });
      }
      case "profile-start":
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
        return send({ id: m.id });
      case "profile-stop": {
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(m.file, JSON.stringify(profile));
        return send({ id: m.id });
      }
      case "stop":
        workers.abort();
        await ensemble.stop();
        dataDir?.remove();
        send({ id: m.id });
        setTimeout(() => process.exit(0), 50);
        return;
    }
  } catch (e) {
    send({ id: m.id, error: String((e as Error)?.stack ?? e) });
  }
});
