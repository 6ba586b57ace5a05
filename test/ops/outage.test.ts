import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../helpers/ensemble";
import { startServerProcess, type ServerProcess } from "../helpers/process";
import { post, replyCreate, startPeer, type Peer } from "../helpers/mastodon-peer";
import { adminUrl, scratchDatabase } from "../helpers/databases";
import { seedCampaign } from "../helpers/open-campaign";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

/**
 * The database goes away under a running server (its connections reset, new ones refused,
 * through a proxy, so the shared PostgreSQL keeps serving others): the inbox answers 503 with
 * Retry-After instead of accepting what it cannot keep, /readyz says why, and when the
 * database is back the same process recovers on its own.
 */
describe.skipIf(!adminUrl)("database outage (PostgreSQL behind a proxy)", () => {
  let peer: Peer;
  let proxy: TcpProxy;
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let sql: postgres.Sql;
  let server: ServerProcess;
  let origin: string;
  let questionId: string;

  const ready = async () => {
    const res = await fetch(`${origin}/readyz`);
    return {
      status: res.status,
      body: (await res.json()) as { status: string; reason?: string },
      retryAfter: res.headers.get("retry-after"),
    };
  };
  const note = (n: number) => peer.prepare(`${origin}/inbox`, replyCreate(peer, "alice", questionId, n, `Reply ${n}`));
  const storedIris = async () => (await sql`select iri from inbound_notes order by iri`).map((r) => r.iri as string);

  beforeAll(async () => {
    db = await scratchDatabase(adminUrl!);
    sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    peer = await startPeer({ usernames: ["alice"] });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    ({ questionId } = await seedCampaign(db.url, origin));
    server = await startServerProcess(
      {
        PORT: String(port),
        ENSEMBLE_ORIGIN: origin,
        ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
        DATABASE_URL: viaProxy.href,
        ENSEMBLE_QUEUE_CONCURRENCY: "2",
        LOG_LEVEL: "warning",
      },
      origin,
    );
  }, 90_000);

  afterAll(async () => {
    if (process.env.OPS_DEBUG) console.log(server?.output());
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await server?.exited;
    await proxy?.close();
    await sql?.end();
    await peer?.close();
    await db?.drop();
  });

  it("answers 503 while the database is away and resumes alone when it is back", async () => {
    expect((await ready()).status).toBe(200);
    expect((await post(note(1))).status).toBe(202);
    await waitFor(async () => ((await storedIris()).length === 1 ? true : undefined));

    await proxy.cut();
    const down = await waitFor(async () => {
      const r = await ready();
      return r.status === 503 ? r : undefined;
    }, 10_000);
    expect(down.body.status).toBe("unavailable");
    expect(down.body.reason).toMatch(/database/);
    expect(down.retryAfter).toBe("10");
    // alive, just not ready
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);

    const second = note(2);
    const refused = await post(second);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).title).toBe("Service unavailable");
    // a different inbox path and a community inbox refuse the same way, not 500 or 401
    const third = await post(
      peer.prepare(`${origin}/communities/climat/inbox`, replyCreate(peer, "alice", questionId, 3, "Reply 3")),
    );
    expect(third.status).toBe(503);

    await proxy.restore();
    await waitFor(async () => ((await ready()).status === 200 ? true : undefined), 30_000);
    // the sender retries what was refused; the queue workers have reconnected as well
    expect((await post(second)).status).toBe(202);
    const iris = await waitFor(async () => {
      const s = await storedIris();
      return s.length === 2 ? s : undefined;
    }, 30_000);
    expect(iris).toEqual([`${peer.actorUrl("alice")}/statuses/1`, `${peer.actorUrl("alice")}/statuses/2`]);
    const output = server.output();
    expect(output).not.toMatch(/Unhandled error/);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 90_000);
});
