// Flood limits: per remote server and actor at the inbox (counted only for verified activities),
// per client address at console sign-in and on the public reports; 429 with Retry-After.
import { generateKeyPairSync } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../src/domain/communities";
import { findInboundNote } from "../../src/domain/notes";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

const AS = "https://www.w3.org/ns/activitystreams";

describe.each(databaseKinds)("flood limits (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let big: Peer;
  let other: Peer;
  let n = 0;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind, {
      ENSEMBLE_RATE_INBOX_SERVER: "5",
      ENSEMBLE_RATE_INBOX_ACTOR: "3",
      ENSEMBLE_RATE_SIGNIN: "3",
      ENSEMBLE_RATE_REPORTS: "4",
    });
    await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat" });
    big = await startPeer({ usernames: ["alice", "bob"] });
    other = await startPeer({ usernames: ["zoe"] });
  });
  afterAll(async () => {
    await big?.close();
    await other?.close();
    await ensemble?.stop();
  });

  /** A reply mentioning the community, signed by `username` on `peer`. */
  const reply = (peer: Peer, username: string, opts: Parameters<Peer["signedPost"]>[2] = {}) => {
    const id = `${peer.origin}/users/${username}/statuses/${++n}`;
    const note = {
      id,
      type: "Note",
      attributedTo: peer.actorUrl(username),
      content: `<p>@climat ${n}</p>`,
      to: `${AS}#Public`,
      tag: [{ type: "Mention", href: `${ensemble.origin}/communities/climat` }],
    };
    const post = peer.signedPost(
      `${ensemble.origin}/inbox`,
      { "@context": AS, id: `${id}/activity`, type: "Create", actor: note.attributedTo, object: note },
      { username, ...opts },
    );
    return post.then((res) => ({ res, id }));
  };

  const expectTooMany = async (res: Response) => {
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  };

  it("forged claims of a server's key spend none of its quota", async () => {
    const forger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    for (let i = 0; i < 8; i++) expect((await reply(other, "zoe", { privateKey: forger })).res.status).toBe(401);
    expect((await reply(other, "zoe")).res.status).toBe(202);
  });

  it("a flood from one actor, then from its server, gets 429 with Retry-After while another server is served", async () => {
    const alice: Array<{ res: Response; id: string }> = [];
    for (let i = 0; i < 5; i++) alice.push(await reply(big, "alice"));
    expect(alice.map((a) => a.res.status)).toEqual([202, 202, 202, 429, 429]);
    await expectTooMany(alice[3].res);
    // bob, on the same server, has his own actor quota but shares the server's (5 a minute)
    const bob: Array<{ res: Response; id: string }> = [];
    for (let i = 0; i < 3; i++) bob.push(await reply(big, "bob"));
    expect(bob.map((b) => b.res.status)).toEqual([202, 202, 429]);
    await expectTooMany(bob[2].res);
    // another server is still served
    expect((await reply(other, "zoe")).res.status).toBe(202);
    // what was accepted is handled; what was refused is not stored
    const db = ensemble.services.db;
    await expect.poll(() => findInboundNote(db, alice[2].id), { timeout: 15_000 }).toBeDefined();
    expect(await findInboundNote(db, alice[3].id)).toBeUndefined();
    // the counts live in the database, for every web process to see
    const rows = await db.execute(sql`select key, points from rate_limits where key like 'inbox-server:%'`);
    const list = ((rows as { rows?: unknown[] }).rows ?? rows) as Array<{ key: string; points: number }>;
    expect(list.find((r) => r.key === `inbox-server:${big.host}`)?.points).toBeGreaterThanOrEqual(5);
  });

  it("sign-in floods from one address get 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${ensemble.origin}/console/signin`, {
        method: "POST",
        body: new URLSearchParams({ token: `guess-${i}` }),
        headers: { origin: ensemble.origin, "sec-fetch-site": "same-origin" },
      });
      statuses.push(res.status);
      if (res.status === 429) await expectTooMany(res);
    }
    expect(statuses).toEqual([403, 403, 403, 429]);
  });

  it("report floods from one address get 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await fetch(`${ensemble.origin}/communities/climat/reports.json`)).status);
    expect(statuses.slice(0, 4).every((s) => s !== 429)).toBe(true);
    expect(statuses[4]).toBe(429);
  });
});
