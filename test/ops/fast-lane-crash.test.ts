import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl, scratchDatabase } from "../helpers/databases";
import { freePort, waitFor } from "../helpers/ensemble";
import { replyCreate, startPeer, type Peer } from "../helpers/mastodon-peer";
import { seedCampaign } from "../helpers/open-campaign";
import { killLeftovers, startServerProcess, type ServerProcess } from "../helpers/process";

/**
 * The inbox's fast lane answers `202` once a reply is in its batch queue (a group commit), before
 * any worker has seen it. A web process killed with SIGKILL right after its `202`s has therefore
 * lost nothing: a worker started afterwards stores and scores every reply exactly once.
 */
describe.skipIf(!adminUrl)("fast lane: what got 202 survives a SIGKILL (PostgreSQL)", () => {
  const N = 20;
  let peer: Peer;
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let sql: postgres.Sql;
  const children: ServerProcess[] = [];

  beforeAll(async () => {
    db = await scratchDatabase(adminUrl!);
    sql = postgres(db.url, { max: 2, onnotice: () => {} });
    peer = await startPeer({ usernames: ["alice", "bob"] });
  });
  afterAll(async () => {
    await killLeftovers(children);
    await sql?.end();
    await peer?.close();
    await db?.drop();
  });

  it("a worker started after the web process was killed stores and scores every reply once", async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      ENSEMBLE_ORIGIN: origin,
      ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
      ENSEMBLE_RATE_INBOX_ADDRESS: "0",
      DATABASE_URL: db.url,
      LOG_LEVEL: "error",
    };
    const { questionId } = await seedCampaign(db.url, origin);
    const web = await startServerProcess({ ...env, ENSEMBLE_ROLE: "web" }, origin);
    children.push(web);
    const replies = Array.from({ length: N }, (_, i) =>
      replyCreate(peer, i % 2 ? "bob" : "alice", questionId, i + 1, `Reply ${i + 1}: happy to help`),
    );
    const statuses = await Promise.all(
      replies.map((r, i) => peer.signedPost(`${origin}/inbox`, r, { username: i % 2 ? "bob" : "alice" })),
    );
    expect(statuses.map((s) => s.status)).toEqual(replies.map(() => 202));
    web.child.kill("SIGKILL");
    await web.exited;

    // nothing handled yet, everything queued in the fast lane's batch queue
    expect((await sql`select count(*)::int as n from inbound_notes`)[0].n).toBe(0);
    const queued =
      await sql`select count(*)::int as n from pgboss.job where name = 'fedify-inbox-batch' and data ? 'fastLane'`;
    expect(queued[0].n).toBe(N);

    const workerPort = await freePort();
    const worker = await startServerProcess(
      { ...env, PORT: String(workerPort), ENSEMBLE_ROLE: "worker" },
      `http://127.0.0.1:${workerPort}`,
    );
    children.push(worker);
    const rows = await waitFor(async () => {
      const r =
        await sql`select iri, emotion_model, count(*) over (partition by iri)::int as copies from inbound_notes`;
      return r.length === N ? r : undefined;
    }, 30_000);
    expect(new Set(rows.map((r) => r.iri))).toEqual(new Set(replies.map((r) => r.object.id)));
    expect(rows.every((r) => r.copies === 1 && r.emotion_model)).toBe(true);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 120_000);
});
