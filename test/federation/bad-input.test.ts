import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../src/domain/communities";
import { countFollowers } from "../../src/domain/followers";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

describe.each(databaseKinds)("the inbox refuses bad input and stores nothing (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let inbox: string;
  let communityId: string;
  let n = 0;

  const follow = (extra: Record<string, unknown> = {}) => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${peer.origin}/follows/${++n}`,
    type: "Follow",
    actor: peer.actorUrl("alice"),
    object: `${ensemble.origin}/communities/climat`,
    ...extra,
  });

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    peer = await startPeer({ usernames: ["alice", "mallory"] });
    communityId = (await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat" })).id;
    inbox = `${ensemble.origin}/communities/climat/inbox`;
  }, 60_000);
  afterAll(async () => {
    // give any wrongly accepted activity time to be processed before checking nothing was stored
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countFollowers(ensemble.services.db, communityId)).toBe(0);
    expect(peer.deliveries.filter((d) => d.body?.type === "Accept")).toHaveLength(0);
    await peer?.close();
    await ensemble?.stop();
  });

  it("malformed JSON: 400", async () => {
    const res = await peer.signedPost(inbox, follow(), { bodyOverride: '{"type": "Follow", ' });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await res.json()).detail).toMatch(/JSON/);
  });

  it("wrong content type: 415", async () => {
    const res = await peer.signedPost(inbox, follow(), { contentType: "text/plain" });
    expect(res.status).toBe(415);
  });

  it("a body over 1 MiB: 413", async () => {
    const res = await peer.signedPost(inbox, follow({ content: "x".repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it("an unknown actor's inbox: 404", async () => {
    const res = await peer.signedPost(`${ensemble.origin}/communities/nobody/inbox`, follow());
    expect(res.status).toBe(404);
  });

  it("no signature: 401", async () => {
    const res = await fetch(inbox, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(follow()),
    });
    expect(res.status).toBe(401);
  });

  it("a signature from another key: 401", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect((await peer.signedPost(inbox, follow(), { privateKey })).status).toBe(401);
  });

  it("a body changed after signing: 401", async () => {
    const signed = follow();
    const res = await peer.signedPost(inbox, signed, {
      bodyOverride: JSON.stringify({ ...signed, id: `${signed.id}x` }),
    });
    expect(res.status).toBe(401);
  });

  it("a Date more than an hour old: 401", async () => {
    const res = await peer.signedPost(inbox, follow(), { date: new Date(Date.now() - 2 * 3600_000) });
    expect(res.status).toBe(401);
  });

  it("an activity whose actor is not the signer: 401", async () => {
    const res = await peer.signedPost(inbox, follow({ actor: peer.actorUrl("alice") }), { username: "mallory" });
    expect(res.status).toBe(401);
  });
});
