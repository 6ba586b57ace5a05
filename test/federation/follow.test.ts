import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../src/domain/communities";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, verifyCavage, type Peer } from "../helpers/mastodon-peer";

const AP = { accept: "application/activity+json" };

describe.each(databaseKinds)("a Mastodon-like peer meets a community (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let actorUrl: string;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    peer = await startPeer({ authorizedFetch: true });
    await createCommunity(ensemble.services.db, {
      handle: "climat",
      name: "Climat Rouen",
      summary: "Agir <b>ensemble</b>",
    });
    actorUrl = `${ensemble.origin}/communities/climat`;
  }, 60_000);
  afterAll(async () => {
    await peer?.close();
    await ensemble?.stop();
  });

  it("answers WebFinger for @climat@host", async () => {
    const host = new URL(ensemble.origin).host;
    const res = await fetch(`${ensemble.origin}/.well-known/webfinger?resource=acct:climat@${host}`);
    expect(res.status).toBe(200);
    const jrd = await res.json();
    expect(jrd.subject).toBe(`acct:climat@${host}`);
    expect(jrd.links).toContainEqual(
      expect.objectContaining({ rel: "self", href: actorUrl, type: "application/activity+json" }),
    );
  });

  it("serves a Group actor with RSA-2048 and Ed25519 keys", async () => {
    const res = await fetch(actorUrl, { headers: AP });
    expect(res.headers.get("content-type")).toContain("application/activity+json");
    const group = await res.json();
    expect(group).toMatchObject({
      id: actorUrl,
      type: "Group",
      preferredUsername: "climat",
      name: "Climat Rouen",
      inbox: `${actorUrl}/inbox`,
      outbox: `${actorUrl}/outbox`,
      followers: `${actorUrl}/followers`,
      featured: `${actorUrl}/featured`,
      endpoints: { sharedInbox: `${ensemble.origin}/inbox` },
      manuallyApprovesFollowers: false,
      discoverable: true,
    });
    const rsa = createPublicKey(group.publicKey.publicKeyPem);
    expect(rsa.asymmetricKeyType).toBe("rsa");
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const multikeys = group.assertionMethod as Array<{ type: string; publicKeyMultibase: string }>;
    // z6Mk is the multibase prefix of an Ed25519 public key
    expect(multikeys.some((k) => k.type === "Multikey" && k.publicKeyMultibase.startsWith("z6Mk"))).toBe(true);
  });

  it("gives a browser an HTML profile at the same URL", async () => {
    const res = await fetch(actorUrl, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("Climat Rouen");
    // the summary is text, never markup
    expect(html).toContain("Agir &lt;b&gt;ensemble&lt;/b&gt;");
  });

  it("publishes NodeInfo 2.1 with software and usage", async () => {
    const links = await (await fetch(`${ensemble.origin}/.well-known/nodeinfo`)).json();
    const href = links.links.find((l: { rel: string }) => l.rel.endsWith("/2.1")).href;
    const info = await (await fetch(href)).json();
    expect(info.software.name).toBe("ensemble");
    expect(info.software.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.usage.users.total).toBeGreaterThanOrEqual(1);
  });

  it("accepts a Follow with a signed Accept, counts it, and forgets it on Undo", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/follows/1`,
      type: "Follow",
      actor: peer.actorUrl(),
      object: actorUrl,
    };
    const res = await peer.signedPost(`${actorUrl}/inbox`, follow);
    expect(res.status).toBe(202);

    const accept = await peer.waitForDelivery((d) => d.body?.type === "Accept");
    expect(accept.path).toBe("/users/alice/inbox");
    expect(accept.verified).toBe(true);
    expect(accept.keyId).toBe(`${actorUrl}#main-key`);
    expect(accept.headers.signature).toContain('algorithm="rsa-sha256"');
    expect(accept.body.actor).toBe(actorUrl);
    expect(accept.body.object.id ?? accept.body.object).toBe(follow.id);
    // the peer is in authorized-fetch mode: Ensemble fetched alice with a signed GET
    expect(peer.fetches.some((f) => f.path === "/users/alice" && f.signed)).toBe(true);

    const followers = await (await fetch(`${actorUrl}/followers`, { headers: AP })).json();
    expect(followers.totalItems).toBe(1);
    // who follows is not listed
    expect(JSON.stringify(followers)).not.toContain(peer.actorUrl());

    const undo = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/follows/1/undo`,
      type: "Undo",
      actor: peer.actorUrl(),
      object: follow,
    };
    expect((await peer.signedPost(`${ensemble.origin}/inbox`, undo)).status).toBe(202);
    await waitFor(async () => {
      const c = await (await fetch(`${actorUrl}/followers`, { headers: AP })).json();
      return c.totalItems === 0 || undefined;
    });
  });

  it("has a peer-side verifier that rejects a tampered Accept", async () => {
    const accept = peer.deliveries.find((d) => d.body?.type === "Accept")!;
    const forged = Buffer.from(JSON.stringify({ ...accept.body, actor: peer.actorUrl() }));
    expect((await verifyCavage("POST", accept.path, accept.headers, forged)).ok).toBe(false);
  });
});
