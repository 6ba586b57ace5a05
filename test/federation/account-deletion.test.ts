import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceCampaign } from "../../federation/outbox";
import { recordVote, tally, type Campaign } from "../../src/domain/campaigns";
import type { Community } from "../../src/domain/communities";
import { addFollower, isFollower } from "../../src/domain/followers";
import { findInboundNote, storeInboundNote } from "../../src/domain/notes";
import { shippedModel } from "../../src/reports/model/shipped-model";
import { rebuildRollups } from "../../src/reports/rollups/rollup-rebuild";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { openCampaign, reportedNotes as rolledUp } from "../helpers/open-campaign";

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;
const steps = ["Signer", "Venir"]; // openCampaign's

// Mastodon deletes an account by sending Delete{object: actor}; afterwards the actor (and so
// its key) answers 410 Gone. Either way everything the account left must go, exactly.
describe.each(databaseKinds)("a deleted remote account is forgotten (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let community: Community;
  let campaign: Campaign;
  let questionId: string;
  let n = 0;
  const inbox = () => `${ensemble.origin}/inbox`;

  const reportedNotes = () => rolledUp(ensemble, campaign.id);
  const vote = (username: string, option: string) => {
    const note = {
      id: `${peer.actorUrl(username)}/votes/${++n}`,
      type: "Note",
      name: option,
      attributedTo: peer.actorUrl(username),
      inReplyTo: questionId,
      to: `${ensemble.origin}/communities/climat`,
    };
    return peer.signedPost(
      inbox(),
      { "@context": AS, id: `${note.id}/create`, type: "Create", actor: note.attributedTo, to: note.to, object: note },
      { username },
    );
  };
  const reply = (username: string, text: string) => {
    const note = {
      id: `${peer.actorUrl(username)}/statuses/${++n}`,
      type: "Note",
      attributedTo: peer.actorUrl(username),
      inReplyTo: questionId,
      content: `<p>${text}</p>`,
      to: PUBLIC,
    };
    return peer
      .signedPost(
        inbox(),
        {
          "@context": AS,
          id: `${note.id}/activity`,
          type: "Create",
          actor: note.attributedTo,
          to: PUBLIC,
          object: note,
        },
        { username },
      )
      .then(() => note.id);
  };
  const deleteSelf = (username: string) =>
    peer.signedPost(
      inbox(),
      {
        "@context": AS,
        id: `${peer.actorUrl(username)}#delete`,
        type: "Delete",
        actor: peer.actorUrl(username),
        to: PUBLIC,
        object: peer.actorUrl(username),
      },
      { username },
    );

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    peer = await startPeer({ usernames: ["alice", "bob", "erin"] });
    ({ community, campaign, questionId } = await openCampaign(ensemble));
    for (const username of ["alice", "bob"]) {
      const follow = {
        "@context": AS,
        id: `${peer.actorUrl(username)}/follows/1`,
        type: "Follow",
        actor: peer.actorUrl(username),
        object: `${ensemble.origin}/communities/climat`,
      };
      expect((await peer.signedPost(`${ensemble.origin}/communities/climat/inbox`, follow, { username })).status).toBe(
        202,
      );
    }
    await waitFor(async () =>
      (await isFollower(ensemble.services.db, community.id, peer.actorUrl("bob"))) ? true : undefined,
    );
    await announceCampaign(
      ensemble.federation.createContext(new URL(ensemble.origin), ensemble.services),
      community,
      campaign,
    );
  }, 90_000);
  afterAll(async () => {
    await peer?.close();
    await ensemble?.stop();
  });

  it("Delete{object: actor}: notes, scores, votes and follow removed; rollups exact; the recount federated", async () => {
    expect((await vote("alice", steps[0])).status).toBe(202);
    expect((await vote("bob", steps[1])).status).toBe(202);
    const aliceNotes = [
      await reply("alice", "Thank you so much, I love this"),
      await reply("alice", "Merci beaucoup, bravo"),
    ];
    const bobNote = await reply("bob", "Great idea, thank you");
    for (const id of [...aliceNotes, bobNote]) await waitFor(() => findInboundNote(ensemble.services.db, id));
    await waitFor(async () => ((await tally(ensemble.services.db, campaign.id)).voters === 2 ? true : undefined));
    expect(await reportedNotes()).toBe(3);

    expect((await deleteSelf("alice")).status).toBe(202);
    await waitFor(async () => ((await tally(ensemble.services.db, campaign.id)).voters === 1 ? true : undefined));
    for (const id of aliceNotes)
      await waitFor(async () => ((await findInboundNote(ensemble.services.db, id)) === undefined ? true : undefined));
    expect(await findInboundNote(ensemble.services.db, bobNote)).toBeDefined();
    expect(await isFollower(ensemble.services.db, community.id, peer.actorUrl("alice"))).toBe(false);
    expect(await isFollower(ensemble.services.db, community.id, peer.actorUrl("bob"))).toBe(true);

    // the rollups lost exactly alice's two notes, as a full rebuild confirms
    expect(shippedModel()).not.toBeNull();
    expect(await reportedNotes()).toBe(1);
    await ensemble.services.db.transaction((tx) => rebuildRollups(tx, shippedModel()!.info));
    expect(await reportedNotes()).toBe(1);

    // followers get the recount as Update(Question)
    const update = await peer.waitForDelivery(
      (d) => d.body?.type === "Update" && d.body.object?.votersCount === 1 && d.path === "/inbox",
    );
    expect(update.verified).toBe(true);
    const page = await (await fetch(questionId)).text();
    expect(page).not.toContain("Thank you so much");
    expect(page).toContain("Great idea");
  });

  it("a self-Delete whose key now answers 410 Gone is honoured without a verifiable signature", async () => {
    // erin never wrote to us before (no key cached): her vote and follow arrived some other way
    const erin = peer.actorUrl("erin");
    const row = { actorIri: erin, inboxUrl: `${erin}/inbox`, sharedInboxUrl: null };
    expect((await recordVote(ensemble.services.db, campaign, steps[0], row, `${erin}/votes/x`)).counted).toBe(true);
    await addFollower(ensemble.services.db, { communityId: community.id, ...row, followIri: `${erin}/follows/x` });
    await storeInboundNote(
      ensemble.services.db,
      {
        iri: `${erin}/statuses/x`,
        communityId: community.id,
        campaignId: campaign.id,
        inReplyTo: questionId,
        authorIri: erin,
        contentHtml: "<p>Thank you</p>",
        language: "en",
        published: new Date(),
      },
      ensemble.services.scoreNote,
    );
    expect((await tally(ensemble.services.db, campaign.id)).voters).toBe(2);

    peer.markGone("erin");
    const gone = await deleteSelf("erin");
    expect(gone.status).toBe(202);
    expect((await tally(ensemble.services.db, campaign.id)).voters).toBe(1);
    expect(await isFollower(ensemble.services.db, community.id, erin)).toBe(false);
    expect(await findInboundNote(ensemble.services.db, `${erin}/statuses/x`)).toBeUndefined();
    await peer.waitForDelivery(
      (d) =>
        d.body?.type === "Update" && d.body.object?.votersCount === 1 && Date.parse(d.headers.date) > Date.now() - 5000,
    );
  });

  it("a gone actor can say nothing else, and another account cannot delete bob", async () => {
    const erin = peer.actorUrl("erin");
    const res = await peer.signedPost(
      inbox(),
      {
        "@context": AS,
        id: `${erin}/follows/late`,
        type: "Follow",
        actor: erin,
        object: `${ensemble.origin}/communities/climat`,
      },
      { username: "erin" },
    );
    expect(res.status).toBe(401);
    const forged = await peer.signedPost(
      inbox(),
      {
        "@context": AS,
        id: `${peer.actorUrl("alice")}#delete-bob`,
        type: "Delete",
        actor: peer.actorUrl("bob"),
        object: peer.actorUrl("bob"),
      },
      { username: "alice" },
    );
    expect(forged.status).toBe(401);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await isFollower(ensemble.services.db, community.id, peer.actorUrl("bob"))).toBe(true);
  });
});
