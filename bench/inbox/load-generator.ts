// One run of bench:inbox against one server: starts it (child.ts or bare-fedify.ts) and the
// signing peer, warms up, pushes the timed activities over HTTP, waits until they are processed
// (and, for follows, until the peer has every Accept), and prints and returns the figures.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { post, startPeer, type PreparedPost } from "../../test/helpers/mastodon-peer";
import { peakRssMiB, pool, quantile, sleep, uptime } from "../lib/figures";
import { benchActivity } from "./activities";
import type { RunFigures } from "./compare";
import { ChildServer, type ActivityKind, type ChildState, type Kind, type Target } from "./ipc";
import { summarizeProfile } from "./profile";

export interface Options {
  count: number;
  concurrency: number;
  db: Kind[];
  activity: ActivityKind;
  actors: number;
  queueConcurrency: number;
  split: boolean;
  profile?: string;
  signInline: boolean;
  peerRefetchKeys: boolean;
  acceptOnly: boolean;
  top: number;
  compare: boolean;
}

const programs: Record<"ensemble" | "bare", string> = {
  ensemble: fileURLToPath(new URL("./child.ts", import.meta.url)),
  bare: fileURLToPath(new URL("./bare-fedify.ts", import.meta.url)),
};

/**
 * The rows the timed activities produced: follower rows (the warm-up community's are never
 * counted), or votes or notes since `before` (taken after the warm-up).
 */
const rowsOf = (activity: ActivityKind, s: ChildState, before: ChildState) =>
  activity === "follow"
    ? s.followerRows
    : activity === "vote"
      ? s.voteRows - before.voteRows
      : s.noteRows - before.noteRows;

export async function runOne(kind: Target, opts: Options): Promise<RunFigures> {
  if (kind === "bare") opts = { ...opts, profile: undefined }; // profiles are of Ensemble only
  const log = (s: string) => console.log(`[${kind}] ${s}`);
  const actors = Math.min(opts.actors, opts.count);
  const perCommunity = actors; // each (actor, community) pair is one distinct follower row
  const nCommunities = Math.ceil(opts.count / perCommunity);
  // community 0 is the warm-up target; its followers are not counted
  const handles = ["bench_warmup", ...Array.from({ length: nCommunities }, (_, i) => `bench_${i}`)];

  const t0 = performance.now();
  const usernames = Array.from({ length: actors }, (_, i) => `u${i}`);
  // Mastodon caches the keys it verifies with (--peer-refetch-keys: fetch the key for every request)
  const peer = await startPeer({ usernames, cacheKeys: !opts.peerRefetchKeys });
  log(`peer with ${actors} RSA-2048 accounts ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const { server, ready } = await ChildServer.start(kind === "bare" ? programs.bare : programs.ensemble, {
    kind,
    activity: opts.activity,
    communities: handles,
    queueConcurrency: opts.queueConcurrency,
    startWorkers: !opts.split,
  });
  const { origin } = ready;
  log(`server (child pid ${server.proc.pid}) at ${origin}`);
  const activity = (i: number, u: string, community: string, tag: string) =>
    benchActivity(opts.activity, peer, ready, i, u, community, tag);
  const inboxOf = (community: string) => `${origin}/communities/${community}/inbox`;

  // Warm-up: every peer account sends one activity to the warm-up community, so that the
  // server's key cache holds every key and the JIT is warm. Not timed.
  let warm = 0;
  await pool(usernames, opts.concurrency, async (u) => {
    const res = await peer.signedPost(inboxOf(handles[0]), activity(0, u, handles[0], "warm"), { username: u });
    await res.arrayBuffer();
    if (res.status === 202) warm++;
  });
  // With --split the workers are not running yet: the warm-up's jobs wait in the queue and are
  // processed (and counted) with the timed ones.
  const warmDeadline = Date.now() + 120_000;
  while (!opts.split) {
    const s = await server.state();
    if (s.inbox === 0 && s.outbox === 0) break;
    if (Date.now() > warmDeadline) throw new Error(`warm-up did not drain: ${JSON.stringify(s)}`);
    await sleep(200);
  }
  const acceptsBefore = opts.split ? 0 : peer.deliveries.length;
  const extraJobs = opts.split ? warm : 0;
  log(
    `warm-up: ${warm}/${actors} accepted${opts.split ? " (left queued)" : `, queues drained, ${acceptsBefore} Accepts at the peer`}`,
  );

  // the timed activities: activity i comes from account i % actors, to community i / actors
  const jobs = Array.from({ length: opts.count }, (_, i) => ({
    i,
    u: usernames[i % actors],
    community: handles[1 + Math.floor(i / perCommunity)],
  }));
  let prepared: PreparedPost[] | undefined;
  if (!opts.signInline) {
    // RSA-2048 signing costs ~1 ms of this process's CPU each: done before the clock starts
    const ts = performance.now();
    prepared = jobs.map((j) =>
      peer.prepare(inboxOf(j.community), activity(j.i, j.u, j.community, "bench"), { username: j.u }),
    );
    log(
      `pre-signed ${prepared.length} requests in ${((performance.now() - ts) / 1000).toFixed(2)} s (outside the timed window)`,
    );
  }

  const before = await server.state();
  await server.call("queries");
  if (opts.profile) await server.call("profile-start");
  const { us: cpuBefore, gcMs: gcBefore } = await server.call<{ us: number; gcMs?: number }>("cpu");
  const loadBefore = uptime();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  let lastAccepted = start;
  await pool(jobs, opts.concurrency, async (j) => {
    const t = performance.now();
    const res = prepared
      ? await post(prepared[j.i])
      : await peer.signedPost(inboxOf(j.community), activity(j.i, j.u, j.community, "bench"), { username: j.u });
    await res.arrayBuffer();
    const now = performance.now();
    latencies.push(now - t);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (now > lastAccepted) lastAccepted = now;
  });
  const acceptWindow = (lastAccepted - start) / 1000;
  const cpuAfter = await server.call<{ us: number; gcMs?: number }>("cpu");
  const acceptCpuMs = (cpuAfter.us - cpuBefore) / 1000;
  const acceptGcMs = cpuAfter.gcMs !== undefined && gcBefore !== undefined ? cpuAfter.gcMs - gcBefore : undefined;
  const loadAfterAccept = uptime();
  if (opts.profile)
    await server.call("profile-stop", { file: join(opts.profile, `${kind}-${opts.activity}-accept.cpuprofile`) });

  const accepted = statuses.get(202) ?? 0;
  const acceptQueries = (await server.call("queries")).queries as Array<[string, number]>;
  if (opts.split && !opts.acceptOnly) {
    if (opts.profile) await server.call("profile-start");
    await server.call("workers");
  }
  const processStart = opts.split ? performance.now() : start;
  if (opts.acceptOnly) await server.call("queries");
  // End to end: every activity handled (rows produced, queue and active jobs empty).
  let processedAt = 0;
  let deliveredAt = 0;
  const deadline = Date.now() + 600_000;
  let state: ChildState | undefined;
  while (!opts.acceptOnly) {
    state = await server.state();
    const now = performance.now();
    const done = opts.activity === "follow" ? state.followerRows >= accepted && state.inbox === 0 : state.inbox === 0;
    if (done && !processedAt) processedAt = now;
    if (opts.activity === "follow" && !deliveredAt && peer.deliveries.length - acceptsBefore >= accepted + extraJobs)
      deliveredAt = now;
    if (processedAt && (deliveredAt || opts.activity !== "follow")) break;
    if (Date.now() > deadline) {
      log(`timed out waiting for processing: ${JSON.stringify(state)}`);
      break;
    }
    await sleep(25);
  }
  const processQueries = (await server.call("queries")).queries as Array<[string, number]>;
  if (opts.profile && opts.split && !opts.acceptOnly)
    await server.call("profile-stop", { file: join(opts.profile, `${kind}-${opts.activity}-process.cpuprofile`) });
  const loadAfter = uptime();

  latencies.sort((a, b) => a - b);
  const statusText = [...statuses].map(([s, n]) => `${s}×${n}`).join(" ");
  console.log("");
  log(
    `activity=${opts.activity} count=${opts.count} concurrency=${opts.concurrency} actors=${actors} communities=${nCommunities} queue-concurrency=${opts.queueConcurrency} mode=${opts.split ? "split (workers start after the last 202)" : "concurrent (workers run during the push)"} signing=${opts.signInline ? "inline (timed)" : "pre-signed"}`,
  );
  log(`statuses: ${statusText}`);
  log(
    `accepted: ${(accepted / acceptWindow).toFixed(1)} activities/s (${accepted} in ${acceptWindow.toFixed(2)} s); POST latency p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  log(
    `server CPU during the push: ${(acceptCpuMs / opts.count).toFixed(2)} ms per activity (${(acceptCpuMs / 1000).toFixed(2)} s user+sys of the server process over ${acceptWindow.toFixed(2)} s wall; less sensitive to other load than activities/s${opts.split ? "" : "; workers running too"})`,
  );
  if (acceptGcMs !== undefined)
    log(`of which garbage collection on the main thread: ${(acceptGcMs / opts.count).toFixed(3)} ms per activity`);
  if (processedAt && state) {
    const s = (processedAt - processStart) / 1000;
    const rows = rowsOf(opts.activity, state, before);
    log(
      `processed: ${((accepted + extraJobs) / s).toFixed(1)} activities/s (${accepted + extraJobs}${extraJobs ? ` (incl. ${extraJobs} warm-up)` : ""} handled ${s.toFixed(2)} s after ${opts.split ? "workers started" : "the first POST"}; ${opts.activity === "follow" ? `${rows} follower rows` : opts.activity === "vote" ? `${rows} votes counted` : `${rows} new inbound_notes rows`})`,
    );
  }
  if (deliveredAt) {
    const s = (deliveredAt - processStart) / 1000;
    log(
      `delivered: ${((accepted + extraJobs) / s).toFixed(1)} Accepts/s at the peer (${peer.deliveries.length - acceptsBefore} in ${s.toFixed(2)} s; ${peer.deliveries.slice(acceptsBefore).filter((d) => d.verified).length} verified)`,
    );
  }
  printStatements(log, acceptQueries, processQueries, opts, accepted + extraJobs);
  log(`load before: ${loadBefore}`);
  log(`load after accept: ${loadAfterAccept}`);
  log(`load at end: ${loadAfter}`);
  const peakRss = peakRssMiB(server.proc.pid);
  if (peakRss !== undefined) log(`peak RSS of the server process over the run: ${peakRss.toFixed(0)} MiB`);
  if (kind !== "bare") {
    // where the resident memory is at the end (bare-fedify.ts does not answer this command)
    const m = await server.call<NodeJS.MemoryUsage>("memory");
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    log(
      `server memory at the end: RSS ${mib(m.rss)}, V8 heap ${mib(m.heapUsed)} used of ${mib(m.heapTotal)}, ` +
        `outside the heap ${mib(m.external)} (of which ArrayBuffers ${mib(m.arrayBuffers)})`,
    );
  }

  await server.stop();
  await peer.close();
  const figures: RunFigures = {
    target: kind,
    activity: opts.activity,
    acceptedPerSecond: accepted / acceptWindow,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    processedPerSecond: processedAt ? (accepted + extraJobs) / ((processedAt - processStart) / 1000) : undefined,
    processedRows: state ? rowsOf(opts.activity, state, before) : undefined,
    deliveredPerSecond: deliveredAt ? (accepted + extraJobs) / ((deliveredAt - processStart) / 1000) : undefined,
    statuses: statusText,
    load: loadAfter,
  };

  if (opts.profile) {
    for (const phase of opts.split && !opts.acceptOnly ? ["accept", "process"] : ["accept"]) {
      const file = join(opts.profile, `${kind}-${opts.activity}-${phase}.cpuprofile`);
      console.log("");
      log(`${phase} phase${opts.split ? "" : " (workers running too)"}:`);
      console.log(summarizeProfile(file, opts.top, phase === "accept" ? opts.count : opts.count + extraJobs));
    }
  }
  return figures;
}

/** PGlite's statements per activity, during the push and after it (empty on PostgreSQL and bare Fedify). */
function printStatements(
  log: (s: string) => void,
  acceptQueries: Array<[string, number]>,
  processQueries: Array<[string, number]>,
  opts: Options,
  processed: number,
) {
  if (acceptQueries.length) {
    const total = acceptQueries.reduce((a, [, n]) => a + n, 0);
    log(
      `PGlite statements during the push${opts.split ? "" : " (workers running too)"}: ${(total / opts.count).toFixed(2)} per activity`,
    );
    for (const [q, n] of acceptQueries.slice(0, 8)) log(`  ${(n / opts.count).toFixed(2)}  ${q}`);
  }
  if (processQueries.length) {
    const total = processQueries.reduce((a, [, n]) => a + n, 0);
    log(`PGlite statements after the push, until processed: ${(total / processed).toFixed(2)} per activity`);
    for (const [q, c] of processQueries.slice(0, 10)) log(`  ${(c / processed).toFixed(2)}  ${q}`);
  }
}
