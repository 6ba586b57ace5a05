/**
 * Inbox throughput: pushes N signed activities through the real inbox over HTTP.
 *
 *   npm run bench:inbox -- [--count 2000] [--concurrency 32] [--db pglite|postgres|both]
 *                          [--kind reply|vote|follow] [--actors 100] [--queue-concurrency 4]
 *                          [--split] [--accept-only] [--profile DIR] [--sign-inline] [--peer-refetch-keys]
 *                          [--compare] [--summarize FILE.cpuprofile [--top 25]]
 *
 * --kind is what the load sends: replies (Create(Note) mentioning the community), poll votes on
 * its open campaign, or Follows. Default: reply with --compare, follow without (as before).
 * --activity follow|create|vote is its older spelling (create = reply).
 *
 * Both servers under test run bundled (scripts/build.ts) with `npm start`'s Node flags and the
 * environment it sets (glibc's allocator settings; scripts/start-command.ts). The environment
 * variable BENCH_NODE_FLAGS appends flags (later flags win), e.g.
 * BENCH_NODE_FLAGS="--max-semi-space-size=16" to try another heap setting, and a variable set in
 * the shell wins over npm start's (MALLOC_ARENA_MAX=8 npm run bench:inbox …).
 *
 * --compare first drives a bare Fedify server (bench/inbox/bare-fedify.ts: in-memory KV and queue,
 * a listener counting the same kind of activity, accepting follows) with the same load, then
 * Ensemble on each --db, and prints each figure and the ratios Ensemble/bare (compare.ts).
 *
 * The server runs in a child process (child.ts: the same `startTestEnsemble` the tests use), so
 * the load generator (load-generator.ts) and the Mastodon-like peer (test/helpers/mastodon-peer.ts,
 * in this process) do not share its event loop, and it can be CPU-profiled on its own
 * (`--profile DIR` writes one .cpuprofile per phase and prints the top self-time functions; profile.ts).
 *
 * Figures:
 *  - accepted/s: HTTP 202 throughput of the POSTs, with p50/p99 latency;
 *  - processed/s: until the inbox queue has handled every activity (for Follow: one follower
 *    row each, polled in the server; queue size + active jobs must be 0 as well);
 *  - delivered/s: until the peer has received every outbound Accept (Follow only).
 * Votes are processed when the queue is empty; their rows (participations) are reported.
 * By default the workers run while activities arrive (as in production); `--split` starts them
 * only after the last POST was accepted, so the accept path is measured (and profiled) alone;
 * `--accept-only` never starts them (no processed/s figure).
 *
 * The peer caches the keys it verifies Ensemble's Accepts and signed GETs with, as Mastodon
 * does (--peer-refetch-keys: fetch the key for every request, as the bare helper does).
 *
 * Requests are signed (draft-cavage rsa-sha256 by the peer helper) before the timed window,
 * unless --sign-inline: RSA-2048 signing costs ~1 ms of the load generator's CPU each, which on
 * a 2-core machine would otherwise be taken from the server.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { machine, uptime } from "../lib/figures";
import { compareTable, type RunFigures } from "./compare";
import type { ActivityKind, Kind, Target } from "./ipc";
import { type Options, runOne } from "./load-generator";
import { summarizeProfile } from "./profile";

const KINDS: Record<string, ActivityKind> = { reply: "create", vote: "vote", follow: "follow" };

/** --kind (reply, vote, follow), else the older --activity (create, vote, follow), else the default. */
function activityOf(kind: string | undefined, activity: string | undefined, compare: boolean): ActivityKind {
  if (kind !== undefined) {
    if (!Object.hasOwn(KINDS, kind)) throw new Error("--kind is reply, vote or follow");
    return KINDS[kind];
  }
  if (activity !== undefined) {
    if (!["follow", "create", "vote"].includes(activity)) throw new Error("--activity is follow, create or vote");
    return activity as ActivityKind;
  }
  return compare ? "create" : "follow";
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "32" },
      db: { type: "string", default: "both" },
      activity: { type: "string" },
      kind: { type: "string" },
      actors: { type: "string", default: "100" },
      "queue-concurrency": { type: "string", default: "4" },
      split: { type: "boolean", default: false },
      profile: { type: "string" },
      "sign-inline": { type: "boolean", default: false },
      "peer-refetch-keys": { type: "boolean", default: false },
      "accept-only": { type: "boolean", default: false },
      top: { type: "string", default: "25" },
      summarize: { type: "string" },
      compare: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0]);
    return;
  }
  if (values.summarize) {
    console.log(summarizeProfile(values.summarize, Number(values.top)));
    return;
  }
  const db = values.db === "both" ? (["pglite", "postgres"] as Kind[]) : [values.db as Kind];
  if (!db.every((k) => k === "pglite" || k === "postgres")) throw new Error("--db is pglite, postgres or both");
  const activity = activityOf(values.kind, values.activity, values.compare);
  const opts: Options = {
    count: Number(values.count),
    concurrency: Number(values.concurrency),
    db,
    activity,
    actors: Number(values.actors),
    queueConcurrency: Number(values["queue-concurrency"]),
    split: values.split || values["accept-only"],
    profile: values.profile ? resolve(values.profile) : undefined,
    signInline: values["sign-inline"],
    peerRefetchKeys: values["peer-refetch-keys"],
    acceptOnly: values["accept-only"],
    top: Number(values.top),
    compare: values.compare,
  };
  if (opts.profile) mkdirSync(opts.profile, { recursive: true });
  if (db.includes("postgres")) {
    process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  }
  console.log(`machine: ${machine()}`);
  console.log(
    `command: ${process.argv
      .slice(1)
      .map((a) => a.replace(`${process.cwd()}/`, ""))
      .join(" ")}`,
  );
  if (db.includes("postgres")) {
    const u = new URL(process.env.TEST_DATABASE_URL!);
    console.log(`postgres: ${u.host}${u.pathname} (a scratch database per run, created from it and dropped after)`);
  }
  console.log(`uptime: ${uptime()}`);
  if (opts.activity === "create") {
    console.log(
      "note: processed = inbox queue empty (queued + active); inbound_notes rows are reported, not required.",
    );
  }
  const results: RunFigures[] = [];
  for (const kind of opts.compare ? (["bare", ...db] as Target[]) : db) results.push(await runOne(kind, opts));
  if (opts.compare) console.log(`\n${compareTable(results)}`);
}

await main();
