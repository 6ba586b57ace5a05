import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../helpers/ensemble";
import { killLeftovers, startServerProcess, type ServerProcess } from "../helpers/process";
import { post, replyCreate, startPeer, type Peer } from "../helpers/mastodon-peer";
import { adminUrl, scratchDatabase } from "../helpers/databases";
import { seedCampaign } from "../helpers/open-campaign";

/**
 * SIGTERM to a worker while it handles inbox jobs: the jobs in flight are finished (not
 * failed, not retried), the rest stay queued for the next worker, the process exits 0, and
 * every note ends up stored exactly once.
 */
describe.skipIf(!adminUrl)("graceful shutdown on SIGTERM (PostgreSQL)", () => {
  const N = 10;
  let peer: Peer;
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let sql: postgres.Sql;
  let env: Record<string, string>;
  let web: ServerProcess | undefined;
  const children: ServerProcess[] = [];

  const workerEnv = async () => {
    const port = await freePort();
    return { origin: `http://127.0.0.1:${port}`, env: { ...env, PORT: String(port), ENSEMBLE_ROLE: "worker" } };
  };
  const stored = async () => Number((await sql`select count(*)::int as n from inbound_notes`)[0].n);
  const jobs = async () =>
    sql`select state, retry_count from pgboss.job where name = 'fedify-inbox'` as Promise<
      Array<{ state: string; retry_count: number }>
    >;

  beforeAll(async () => {
    db = await scratchDatabase(adminUrl!);
    sql = postgres(db.url, { max: 2, onnotice: () => {} });
    peer = await startPeer({ usernames: ["alice"] });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      ENSEMBLE_ORIGIN: origin,
      ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
      DATABASE_URL: db.url,
      ENSEMBLE_QUEUE_CONCURRENCY: "2",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    };
    const { questionId } = await seedCampaign(db.url, origin);
    web = await startServerProcess({ ...env, ENSEMBLE_ROLE: "web" }, origin);
    children.push(web);
    // each Create carries only its note's id, so the worker fetches the note: slowly
    peer.objectDelayMs = 1500;
    for (let n = 1; n <= N; n++) {
      const create = replyCreate(peer, "alice", questionId, n, `Reply ${n}`);
      peer.objects.set(create.object.id, create.object);
      const res = await post(peer.prepare(`${origin}/inbox`, { ...create, object: create.object.id }));
      expect(res.status).toBe(202);
    }
  }, 90_000);

  afterAll(async () => {
    await killLeftovers(children);
    await sql?.end();
    await peer?.close();
    await db?.drop();
  });

  it("finishes jobs in flight, exits 0, and the next worker does the rest exactly once", async () => {
    const w1 = await workerEnv();
    const first = await startServerProcess(w1.env, w1.origin);
    children.push(first);
    // the worker has taken jobs and is waiting on the peer for their notes
    await waitFor(() => (peer.objectFetches >= 1 ? true : undefined), 30_000);
    expect(await stored()).toBeLessThan(N);
    const signalled = Date.now();
    first.child.kill("SIGTERM");
    // the listener closes at once, while jobs in flight are still being finished
    await waitFor(async () => {
      try {
        await fetch(`${w1.origin}/healthz`);
        return undefined;
      } catch {
        return true;
      }
    }, 5_000);
    expect(await first.exited).toBe(0);
    const drainMs = Date.now() - signalled;
    expect(drainMs).toBeLessThan(10_000);

    const afterFirst = await stored();
    const states = await jobs();
    // what it took, it finished: completed, none failed and handed back
    expect(states.filter((j) => j.state === "completed")).toHaveLength(afterFirst);
    expect(states.filter((j) => j.state === "failed" || j.retry_count > 0)).toHaveLength(0);
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    expect(afterFirst).toBeLessThan(N);

    // logs were JSON lines throughout, ending with a clean stop
    const lines = first.output().split("\n").filter(Boolean);
    const records = lines.map((l) => JSON.parse(l) as { level: string; message: string });
    expect(records.some((r) => r.message.includes("SIGTERM"))).toBe(true);
    expect(records.at(-1)!.message).toBe("Stopped cleanly");

    peer.objectDelayMs = 0;
    const w2 = await workerEnv();
    const second = await startServerProcess(w2.env, w2.origin);
    children.push(second);
    await waitFor(async () => ((await stored()) === N ? true : undefined), 30_000);
    const notes = await sql`select iri, count(*)::int as n from inbound_notes group by iri`;
    expect(notes).toHaveLength(N);
    const done = await waitFor(async () => {
      const s = await jobs();
      return s.filter((j) => j.state === "completed").length === N ? s : undefined;
    });
    expect(done.filter((j) => j.retry_count > 0)).toHaveLength(0);

    second.child.kill("SIGTERM");
    web!.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(await web!.exited).toBe(0);
  }, 90_000);
});
