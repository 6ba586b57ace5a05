import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addBlock, domainsOf, isBlocked } from "../../src/domain/blocks";
import {
  createCampaign,
  publishCampaign,
  recordJoin,
  recordVote,
  tally,
  type Campaign,
} from "../../src/domain/campaigns";
import { isFollower } from "../../src/domain/followers";
import { communityWithToken } from "../api/client";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

const AS = "https://www.w3.org/ns/activitystreams";
const HOUR = 3600_000;

describe.each(databaseKinds)("campaign windows and blocks (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let steward: string;
  let communityId: string;
  let later: Campaign;
  let n = 0;
  const inbox = () => `${ensemble.origin}/communities/climat/inbox`;
  const campaignIn = async (startsAt: number, endsAt: number) =>
    publishCampaign(
      ensemble.services.db,
      await createCampaign(ensemble.services.db, communityId, {
        title: `C${++n}`,
        steps: ["Sign", "Come"],
        startsAt: new Date(Date.now() + startsAt),
        endsAt: new Date(Date.now() + endsAt),
      }),
    );
  const api = (path: string, body: unknown, method = "POST") =>
    fetch(`${ensemble.origin}/api/v1/communities/climat${path}`, {
      method,
      headers: { authorization: `Bearer ${steward}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const follow = (username: string) =>
    peer.signedPost(
      inbox(),
      {
        "@context": AS,
        id: `${peer.actorUrl(username)}/follows/${++n}`,
        type: "Follow",
        actor: peer.actorUrl(username),
        object: `${ensemble.origin}/communities/climat`,
      },
      { username },
    );

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    peer = await startPeer({ usernames: ["alice", "bob", "carol"] });
    const { community, token } = await communityWithToken(ensemble, "climat");
    steward = token;
    communityId = community.id;
    later = await campaignIn(HOUR, 2 * HOUR);
    expect((await api("/governance/rules", { text: "1. Be kind." }, "PUT")).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await peer?.close();
    await ensemble?.stop();
  });

  it("votes and joins count only within [startsAt, endsAt]", async () => {
    const row = (u: string) => ({
      actorIri: peer.actorUrl(u),
      inboxUrl: `${peer.actorUrl(u)}/inbox`,
      sharedInboxUrl: null,
    });
    const db = ensemble.services.db;
    expect(await recordVote(db, later, "Sign", row("alice"), "v1")).toEqual({ counted: false, reason: "not-started" });
    expect(await recordJoin(db, later, row("alice"), "j1")).toEqual({ counted: false, reason: "not-started" });
    expect((await recordVote(db, later, "Sign", row("alice"), "v2", later.startsAt)).counted).toBe(true);
    expect((await recordVote(db, later, "Come", row("alice"), "v3", later.endsAt)).counted).toBe(true);
    expect(await recordJoin(db, later, row("bob"), "j2", new Date(later.endsAt.getTime() + 1))).toEqual({
      counted: false,
      reason: "ended",
    });

    // a Mobilizon-style Join before the start is answered Reject and not counted
    const early = await campaignIn(HOUR, 2 * HOUR);
    const question = `${ensemble.origin}/communities/climat/campaigns/${early.id}`;
    const join = {
      "@context": AS,
      id: `${peer.actorUrl("carol")}/joins/1`,
      type: "Join",
      actor: peer.actorUrl("carol"),
      object: question,
    };
    expect((await peer.signedPost(inbox(), join, { username: "carol" })).status).toBe(202);
    const reject = await peer.waitForDelivery(
      (d) => d.body?.type === "Reject" && (d.body.object?.id ?? d.body.object) === join.id,
    );
    expect(reject.verified).toBe(true);
    expect((await tally(db, early.id)).participants).toBe(0);
  });

  it("a domain block covers its subdomains, not its neighbours", async () => {
    const db = ensemble.services.db;
    expect(domainsOf("Social.Example.org")).toEqual(["social.example.org", "example.org", "org"]);
    expect(domainsOf("127.0.0.1")).toEqual(["127.0.0.1"]);
    await addBlock(db, communityId, "domain", "Example.org");
    expect(await isBlocked(db, communityId, "https://social.example.org/users/x")).toBe(true);
    expect(await isBlocked(db, communityId, "https://example.org/users/x")).toBe(true);
    expect(await isBlocked(db, communityId, "https://notexample.org/users/x")).toBe(false);
    expect(await isBlocked(db, communityId, "https://example.org.evil.net/users/x")).toBe(false);
  });

  it("blocking @user@host resolves it through WebFinger; the blocked account's Follow is answered Reject", async () => {
    const handle = `@bob@${peer.host}`;
    const res = await api("/moderation/blocks", { kind: "actor", value: handle, rule: "Be kind.", facts: "Insults." });
    expect(res.status).toBe(201);
    expect(await isBlocked(ensemble.services.db, communityId, peer.actorUrl("bob"))).toBe(true);

    expect((await follow("bob")).status).toBe(202);
    const followId = `${peer.actorUrl("bob")}/follows/${n}`;
    const reject = await peer.waitForDelivery(
      (d) => d.body?.type === "Reject" && (d.body.object?.id ?? d.body.object) === followId,
    );
    expect(reject.verified).toBe(true);
    expect(await isFollower(ensemble.services.db, communityId, peer.actorUrl("bob"))).toBe(false);

    // an unblocked account is still accepted
    expect((await follow("alice")).status).toBe(202);
    await waitFor(() => isFollower(ensemble.services.db, communityId, peer.actorUrl("alice")));
  });

  it("a handle that does not resolve is a clear 422, and nothing is blocked", async () => {
    const res = await api("/moderation/blocks", {
      kind: "actor",
      value: `@nobody@${peer.host}`,
      rule: "Be kind.",
      facts: "Insults.",
    });
    expect(res.status).toBe(422);
    expect((await res.json()).detail).toContain(`@nobody@${peer.host}`);
  });
});
