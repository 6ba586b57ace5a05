/**
 * Inbox throughput: pushes N signed activities through the real inbox over HTTP.
 *
 *   npm run bench:inbox -- [--count 2000] [--concurrency 32] [--db pglite|postgres|both]
 *                          [--activity follow|create|vote] [--actors 100] [--queue-concurrency 4]
 *                          [--split] [--accept-only] [--profile DIR] [--sign-inline] [--peer-refetch-keys]
 *                          [--compare]
 *
 * --compare first drives a bare Fedify server (bench/bare-fedify.ts: in-memory KV and queue, a
 * listener counting Create(Note)) with the same load (Create(Note) replies), then Ensemble on each
 * --db, and prints each figure and the ratios Ensemble/bare (bench/compare.ts).
 *
 * The server runs in a child process (the same `startTestEnsemble` the tests use), so the
 * load generator and the Mastodon-like peer (test/helpers/mastodon-peer.ts, in this process)
 * do not share its event loop, and it can be CPU-profiled on its own (`--profile DIR` writes
 * one .cpuprofile per phase and prints the top self-time functions).
 *
 * Figures:
 *  - accepted/s: HTTP 202 throughput of the POSTs, with p50/p99 latency;
 *  - processed/s: until the inbox queue has handled every activity (for Follow: one follower
 *    row each, polled in the server; queue size + active jobs must be 0 as well);
 *  - delivered/s: until the peer has received every outbound Accept (Follow only).
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
import { fork, type ChildProcess } from "node:child_process";
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { compareTable, type RunFigures } from "./compare";

type Kind = "pglite" | "postgres";
/** `bare`: bench/bare-fedify.ts, the yardstick of `--compare`. */
type Target = Kind | "bare";
type ActivityKind = "follow" | "create" | "vote";

// ---------------------------------------------------------------------------------------------
// Child: the server under test.
// ---------------------------------------------------------------------------------------------

interface ChildInit {
  kind: Target; // bench/bare-fedify.ts ignores it; Ensemble's child gets pglite or postgres
  communities: string[];
  queueConcurrency: number;
  startWorkers: boolean;
}

async function child(): Promise<void> {
  const { Session } = await import("node:inspector/promises");
  const { count, inArray, sql } = await import("drizzle-orm");
  const { startTestEnsemble } = await import("../test/helpers/ensemble");
  const { createCommunity } = await import("../src/domain/communities");
  const { followers, inboundNotes, participations } = await import("../drizzle/schema");
  const { createCampaign, publishCampaign } = await import("../src/domain/campaigns");

  const send = (m: unknown) => process.send!(m);
  // Counts the statements PGlite runs (drizzle and pg-boss both go through query/exec).
  const queries = new Map<string, number>();
  {
    const { PGlite } = await import("@electric-sql/pglite");
    const proto = PGlite.prototype as any;
    for (const method of ["query", "exec"]) {
      const original = proto[method];
      proto[method] = function (this: unknown, text: string, ...rest: unknown[]) {
        const label = String(text).replace(/\s+/g, " ").trim().slice(0, 70);
        queries.set(label, (queries.get(label) ?? 0) + 1);
        return original.call(this, text, ...rest);
      };
    }
  }
  const init = await new Promise<ChildInit>((r) => process.once("message", (m) => r(m as ChildInit)));
  // web-only while we set up; workers are started below (now, or on request with --split)
  const ensemble = await startTestEnsemble(init.kind as Kind, {
    ENSEMBLE_QUEUE_CONCURRENCY: String(init.queueConcurrency),
    ENSEMBLE_ROLE: "web",
    // a load test is one flood from one server: measure throughput, not the flood limits
    ENSEMBLE_RATE_INBOX_SERVER: "0",
    ENSEMBLE_RATE_INBOX_ACTOR: "0",
    ENSEMBLE_RATE_INBOX_ADDRESS: "0",
  });
  const db = ensemble.services.db;
  const ids: string[] = [];
  // one open campaign per community, which `--activity vote` votes on
  const campaigns: Record<string, string> = {};
  for (const handle of init.communities) {
    const community = await createCommunity(db, { handle, name: handle });
    ids.push(community.id);
    const draft = await createCampaign(db, community.id, {
      title: "Bench",
      steps: ["Step A", "Step B"],
      startsAt: new Date(Date.now() - 3600_000),
      endsAt: new Date(Date.now() + 86400_000),
    });
    campaigns[handle] = (await publishCampaign(db, draft)).id;
  }
  const workers = new AbortController();
  const startWorkers = () => void ensemble.federation.startQueue(ensemble.services, { signal: workers.signal });
  if (init.startWorkers) startWorkers();

  const session = new Session();
  session.connect();
  send({ type: "ready", origin: ensemble.origin, campaigns });

  process.on("message", async (m: any) => {
    try {
      switch (m.cmd) {
        case "workers":
          startWorkers();
          return send({ id: m.id });
        case "state": {
          const [{ n: followerRows }] = await db
            .select({ n: count() })
            .from(followers)
            .where(inArray(followers.communityId, ids.slice(1)));
          const [{ n: noteRows }] = await db.select({ n: count() }).from(inboundNotes);
          const [{ n: voteRows }] = await db.select({ n: count() }).from(participations);
          const queued = await ensemble.boss.getQueueSize("fedify-inbox");
          const outQueued = await ensemble.boss.getQueueSize("fedify-outbox");
          const rows = await db.execute(
            sql.raw(`select name, count(*)::int as n from pgboss.job where state = 'active' group by name`),
          );
          const active: Record<string, number> = {};
          for (const r of ((rows as any).rows ?? rows) as Array<{ name: string; n: number }>)
            active[r.name] = Number(r.n);
          return send({
            id: m.id,
            followerRows,
            noteRows,
            voteRows,
            inbox: queued + (active["fedify-inbox"] ?? 0),
            outbox: outQueued + (active["fedify-outbox"] ?? 0),
          });
        }
        case "cpu": {
          const { user, system } = process.cpuUsage();
          return send({ id: m.id, us: user + system });
        }
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
          send({ id: m.id });
          setTimeout(() => process.exit(0), 50);
          return;
      }
    } catch (e) {
      send({ id: m.id, error: String((e as Error)?.stack ?? e) });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Profile summary: self time per function and per package, from a .cpuprofile.
// ---------------------------------------------------------------------------------------------

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function where(url: string): string {
  if (!url) return "(native)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (m) return `${m[1]}/${m[2].split("/").pop()}`;
  if (url.startsWith("node:")) return url;
  const root = fileURLToPath(new URL("..", import.meta.url));
  return url.replace(/^file:\/\//, "").replace(root, "");
}

function pkg(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith("wasm://")) return "@electric-sql/pglite";
  if (url.startsWith("node:")) return "node: (core)";
  if (url.includes("/node_modules/.bin/") || url.includes("tsx")) return "tsx";
  return "ensemble (own code)";
}

export function summarizeProfile(file: string, top = 25, activities?: number): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)")
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const fn = new Map<string, number>();
  const pk = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const k = `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
    fn.set(k, (fn.get(k) ?? 0) + t);
    // native frames (JSON.parse, crypto, Buffer…) count for the package that called them
    let g: string;
    if (/^\((garbage collector|program|root)\)$/.test(functionName)) g = `(VM: ${functionName.slice(1, -1)})`;
    else {
      let cur: number | undefined = id;
      while (cur !== undefined && !byId.get(cur)!.callFrame.url) cur = parent.get(cur);
      g = cur === undefined ? "(VM: native, no JS caller)" : pkg(byId.get(cur)!.callFrame.url);
      if (
        byId.get(id)!.callFrame.url.startsWith("node:inspector") ||
        (g === "node: (core)" && cur !== undefined && byId.get(cur)!.callFrame.url.startsWith("node:inspector"))
      )
        g = "(profiler itself)";
    }
    pk.set(g, (pk.get(g) ?? 0) + t);
  }
  // inclusive time of a few subtrees we care about
  const marks: Array<[string, (n: CpuProfileNode) => boolean]> = [
    ["jsonld (expand/compact/…)", (n) => /node_modules\/jsonld\//.test(n.callFrame.url)],
    ["Activity.fromJsonLd (vocab)", (n) => n.callFrame.functionName === "fromJsonLd"],
    ["verifyRequest (HTTP sig)", (n) => /^verifyRequest/.test(n.callFrame.functionName)],
    ["DrizzleKvStore", (n) => /federation\/kv\.ts/.test(n.callFrame.url)],
    ["pg-boss", (n) => /node_modules\/pg-boss\//.test(n.callFrame.url)],
    ["PGlite", (n) => /node_modules\/@electric-sql\/pglite\//.test(n.callFrame.url)],
    ["postgres.js", (n) => /node_modules\/postgres\//.test(n.callFrame.url)],
    ["drizzle-orm", (n) => /node_modules\/drizzle-orm\//.test(n.callFrame.url)],
    ["actor dispatcher (federation/actors.ts)", (n) => /federation\/actors\.ts/.test(n.callFrame.url)],
  ];
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    const hit = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      for (const [label, test] of marks) if (!hit.has(label) && test(n)) hit.add(label);
    }
    for (const label of hit) incl.set(label, (incl.get(label) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(6)} ms`;
  const lines = [
    `profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)}%)${activities ? `, ${(busy / 1000 / activities).toFixed(2)} ms of server CPU per activity` : ""}; percentages are of busy time`,
    "  top self time, by function:",
    ...[...fn]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `    ${pct(t)} ${ms(t)}  ${k}`),
    "  self time, by package (native frames charged to their JS caller):",
    ...[...pk]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([k, t]) => `    ${pct(t)} ${ms(t)}  ${k}`),
    "  inclusive time (any frame of the stack):",
    ...[...incl].sort((a, b) => b[1] - a[1]).map(([k, t]) => `    ${pct(t)} ${ms(t)}  ${k}`),
  ];
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Parent: load generator and Mastodon-like peer.
// ---------------------------------------------------------------------------------------------

class Server {
  private seq = 0;
  private pending = new Map<number, (m: any) => void>();
  constructor(readonly proc: ChildProcess) {
    proc.on("message", (m: any) => {
      if (m.id === undefined) return;
      const r = this.pending.get(m.id);
      this.pending.delete(m.id);
      r?.(m);
    });
  }
  call<T = any>(cmd: string, extra: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      this.proc.send({ id, cmd, ...extra });
    });
  }
}

const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
const uptime = () => {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${loadavg()}`;
  }
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Prepared {
  url: string;
  init: RequestInit;
}

async function runOne(kind: Target, opts: Options): Promise<RunFigures> {
  if (kind === "bare") opts = { ...opts, profile: undefined }; // profiles are of Ensemble only
  const { startPeer } = await import("../test/helpers/mastodon-peer");
  const log = (s: string) => console.log(`[${kind}] ${s}`);
  const actors = Math.min(opts.actors, opts.count);
  const perCommunity = actors; // each (actor, community) pair is one distinct follower row
  const nCommunities = Math.ceil(opts.count / perCommunity);
  // community 0 is the warm-up target; its followers are not counted
  const handles = ["bench_warmup", ...Array.from({ length: nCommunities }, (_, i) => `bench_${i}`)];

  const t0 = performance.now();
  const usernames = Array.from({ length: actors }, (_, i) => `u${i}`);
  const peer = await startPeer({ usernames });
  log(`peer with ${actors} RSA-2048 accounts ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  if (!opts.peerRefetchKeys) {
    // Mastodon caches the keys it verifies with; the peer helper fetches the signer's actor for
    // every request it verifies, which would double the server's GETs. Cache them here.
    const realFetch = globalThis.fetch;
    const cache = new Map<string, Promise<{ status: number; body: string; type: string }>>();
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if ((init?.method ?? "GET") !== "GET" || url.startsWith(peer.origin) || input instanceof Request)
        return realFetch(input, init);
      let hit = cache.get(url);
      if (!hit) {
        hit = realFetch(input, init).then(async (r) => ({
          status: r.status,
          body: await r.text(),
          type: r.headers.get("content-type") ?? "",
        }));
        cache.set(url, hit);
      }
      const { status, body, type } = await hit;
      return new Response(body, { status, headers: { "content-type": type } });
    }) as typeof fetch;
  }
  const execArgv = ["--import", "tsx"];
  const program =
    kind === "bare" ? fileURLToPath(new URL("./bare-fedify.ts", import.meta.url)) : fileURLToPath(import.meta.url);
  const proc = fork(program, ["--child"], {
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const server = new Server(proc);
  const ready = new Promise<{ origin: string; campaigns: Record<string, string> }>((r) =>
    proc.once("message", (m) => r(m as { origin: string; campaigns: Record<string, string> })),
  );
  proc.send({
    kind,
    communities: handles,
    queueConcurrency: opts.queueConcurrency,
    startWorkers: !opts.split,
  } satisfies ChildInit);
  const { origin, campaigns } = await ready;
  log(`server (child pid ${proc.pid}) at ${origin}`);

  const activity = (i: number, u: string, community: string, tag: string) => {
    const target = `${origin}/communities/${community}`;
    if (opts.activity === "follow") {
      return {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${peer.origin}/users/${u}/follows/${tag}-${i}`,
        type: "Follow",
        actor: peer.actorUrl(u),
        object: target,
      };
    }
    const note = `${peer.origin}/users/${u}/statuses/${tag}-${i}`;
    if (opts.activity === "vote") {
      // a Mastodon poll vote: the option as `name`, in reply to the campaign's Question
      const vote = {
        id: note,
        type: "Note",
        name: "Step A",
        attributedTo: peer.actorUrl(u),
        inReplyTo: `${target}/campaigns/${campaigns[community]}`,
        to: target,
      };
      return {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${note}/activity`,
        type: "Create",
        actor: peer.actorUrl(u),
        to: target,
        object: vote,
      };
    }
    return {
      "@context": ["https://www.w3.org/ns/activitystreams", { sensitive: "as:sensitive", Hashtag: "as:Hashtag" }],
      id: `${note}/activity`,
      type: "Create",
      actor: peer.actorUrl(u),
      published: new Date().toISOString(),
      to: [target],
      cc: ["https://www.w3.org/ns/activitystreams#Public", `${peer.actorUrl(u)}/followers`],
      object: {
        id: note,
        type: "Note",
        summary: null,
        inReplyTo: `${target}/posts/campaign-1`,
        published: new Date().toISOString(),
        url: note,
        attributedTo: peer.actorUrl(u),
        to: [target],
        cc: ["https://www.w3.org/ns/activitystreams#Public"],
        sensitive: false,
        content: `<p><span class="h-card"><a href="${target}" class="u-url mention">@<span>${community}</span></a></span> I am worried about the river level, but glad we act together (${i}).</p>`,
        contentMap: { en: `<p>I am worried about the river level, but glad we act together (${i}).</p>` },
        tag: [{ type: "Mention", href: target, name: `@${community}@${new URL(origin).host}` }],
      },
    };
  };

  // Warm-up: every peer account sends one activity to the warm-up community, so that Fedify's
  // key cache (KV) holds every key and the JIT is warm. Not timed.
  let warm = 0;
  await pool(usernames, opts.concurrency, async (u) => {
    const res = await peer.signedPost(`${origin}/communities/${handles[0]}/inbox`, activity(0, u, handles[0], "warm"), {
      username: u,
    });
    await res.arrayBuffer();
    if (res.status === 202) warm++;
  });
  // With --split the workers are not running yet: the warm-up's jobs wait in the queue and are
  // processed (and counted) with the timed ones.
  const warmDeadline = Date.now() + 120_000;
  while (!opts.split) {
    const s = await server.call("state");
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

  let prepared: Prepared[] | undefined;
  const realFetch = globalThis.fetch;
  if (!opts.signInline) {
    // Pre-sign with the peer helper itself: its fetch is captured instead of sent.
    const ts = performance.now();
    prepared = [];
    let captured: Prepared | undefined;
    globalThis.fetch = (async (url: URL, init: RequestInit) => {
      captured = { url: String(url), init };
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    try {
      for (const j of jobs) {
        await peer.signedPost(`${origin}/communities/${j.community}/inbox`, activity(j.i, j.u, j.community, "bench"), {
          username: j.u,
        });
        prepared.push(captured!);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    log(
      `pre-signed ${prepared.length} requests in ${((performance.now() - ts) / 1000).toFixed(2)} s (outside the timed window)`,
    );
  }

  const notesBefore = (await server.call("state")).noteRows as number;
  await server.call("queries");
  if (opts.profile) await server.call("profile-start");
  const cpuBefore = (await server.call("cpu")).us as number;
  const loadBefore = uptime();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  let lastAccepted = start;
  await pool(jobs, opts.concurrency, async (j) => {
    const t = performance.now();
    const res = prepared
      ? await realFetch(prepared[j.i].url, prepared[j.i].init)
      : await peer.signedPost(`${origin}/communities/${j.community}/inbox`, activity(j.i, j.u, j.community, "bench"), {
          username: j.u,
        });
    await res.arrayBuffer();
    const now = performance.now();
    latencies.push(now - t);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (now > lastAccepted) lastAccepted = now;
  });
  const acceptWindow = (lastAccepted - start) / 1000;
  const acceptCpuMs = ((await server.call("cpu")).us - cpuBefore) / 1000;
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
  let state: any;
  while (!opts.acceptOnly) {
    state = await server.call("state");
    const now = performance.now();
    const rows =
      opts.activity === "follow" ? state.followerRows : opts.activity === "vote" ? state.voteRows : state.noteRows;
    const done = opts.activity === "follow" ? rows >= accepted && state.inbox === 0 : state.inbox === 0;
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
  if (processedAt) {
    const s = (processedAt - processStart) / 1000;
    log(
      `processed: ${((accepted + extraJobs) / s).toFixed(1)} activities/s (${accepted + extraJobs}${extraJobs ? ` (incl. ${extraJobs} warm-up)` : ""} handled ${s.toFixed(2)} s after ${opts.split ? "workers started" : "the first POST"}; ${opts.activity === "follow" ? `${state.followerRows} follower rows` : opts.activity === "vote" ? `${state.voteRows} votes counted` : `${state.noteRows - notesBefore} new inbound_notes rows`})`,
    );
  }
  if (deliveredAt) {
    const s = (deliveredAt - processStart) / 1000;
    log(
      `delivered: ${((accepted + extraJobs) / s).toFixed(1)} Accepts/s at the peer (${peer.deliveries.length - acceptsBefore} in ${s.toFixed(2)} s; ${peer.deliveries.slice(acceptsBefore).filter((d) => d.verified).length} verified)`,
    );
  }
  if (acceptQueries.length) {
    const total = acceptQueries.reduce((a, [, n]) => a + n, 0);
    log(
      `PGlite statements during the push${opts.split ? "" : " (workers running too)"}: ${(total / opts.count).toFixed(2)} per activity`,
    );
    for (const [q, n] of acceptQueries.slice(0, 8)) log(`  ${(n / opts.count).toFixed(2)}  ${q}`);
  }
  if (processQueries.length) {
    const total = processQueries.reduce((a, [, n]) => a + n, 0);
    const n = accepted + extraJobs;
    log(`PGlite statements after the push, until processed: ${(total / n).toFixed(2)} per activity`);
    for (const [q, c] of processQueries.slice(0, 10)) log(`  ${(c / n).toFixed(2)}  ${q}`);
  }
  log(`load before: ${loadBefore}`);
  log(`load after accept: ${loadAfterAccept}`);
  log(`load at end: ${loadAfter}`);

  await server.call("stop");
  await new Promise((r) => proc.once("exit", r));
  await peer.close();
  const figures: RunFigures = {
    target: kind,
    acceptedPerSecond: accepted / acceptWindow,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    processedPerSecond: processedAt ? (accepted + extraJobs) / ((processedAt - processStart) / 1000) : undefined,
    processedRows: state ? state.noteRows - notesBefore : undefined,
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

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

interface Options {
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "32" },
      db: { type: "string", default: "both" },
      activity: { type: "string", default: "follow" },
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
  if (!["follow", "create", "vote"].includes(values.activity)) throw new Error("--activity is follow, create or vote");
  const opts: Options = {
    count: Number(values.count),
    concurrency: Number(values.concurrency),
    db,
    activity: values.activity as ActivityKind,
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
  // the bare server only counts notes: compare on Create(Note) replies
  if (opts.compare) opts.activity = "create";
  if (opts.profile) mkdirSync(opts.profile, { recursive: true });
  if (db.includes("postgres")) {
    process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  }
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? "?"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`,
  );
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

if (process.argv.includes("--child")) {
  await child();
} else {
  await main();
}
