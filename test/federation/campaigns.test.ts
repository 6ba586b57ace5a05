import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceCampaign } from "../../federation/outbox";
import { addBlock } from "../../src/domain/blocks";
import { createCampaign, publishCampaign, tally, type Campaign } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import { findInboundNote } from "../../src/domain/notes";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

const AS = "https://www.w3.org/ns/activitystreams";
const steps = ["Sign the letter to the prefect", "Come to the clean-up on Saturday", "Share the campaign"];

describe.each(databaseKinds)("campaigns over federation (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let mastodon: Peer;
  let mobilizon: Peer;
  let community: Community;
  let campaign: Campaign;
  let questionId: string;
  let n = 0;
  const id = (peer: Peer) => `${peer.origin}/activities/${++n}`;

  const vote = (username: string, option: string, target = questionId) => {
    const note = {
      id: id(mastodon),
      type: "Note",
      name: option,
      attributedTo: mastodon.actorUrl(username),
      inReplyTo: target,
      to: `${ensemble.origin}/communities/climat`,
    };
    return mastodon.signedPost(
      `${ensemble.origin}/inbox`,
      { "@context": AS, id: `${note.id}/create`, type: "Create", actor: note.attributedTo, to: note.to, object: note },
      { username },
    );
  };

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    mastodon = await startPeer({ usernames: ["alice", "bob", "carol", "dave", "erin", "mallory"] });
    mobilizon = await startPeer({ usernames: ["gaston"] });
    community = await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat Rouen" });
    const follow = {
      "@context": AS,
      id: id(mastodon),
      type: "Follow",
      actor: mastodon.actorUrl("alice"),
      object: `${ensemble.origin}/communities/climat`,
    };
    expect((await mastodon.signedPost(`${ensemble.origin}/communities/climat/inbox`, follow)).status).toBe(202);
    await mastodon.waitForDelivery((d) => d.body?.type === "Accept");
  });
  afterAll(async () => {
    await mastodon?.close();
    await mobilizon?.close();
    await ensemble?.stop();
  });

  it("publishes a campaign to followers as Create(Question) with the steps as options", async () => {
    const draft = await createCampaign(ensemble.services.db, community.id, {
      title: "Rouen respire",
      description: "Trois **petits pas** pour l'air de Rouen.",
      steps,
      startsAt: new Date(Date.now() - 3600_000),
      endsAt: new Date(Date.now() + 7 * 86400_000),
      hashtags: ["climat"],
      goal: 100,
    });
    campaign = await publishCampaign(ensemble.services.db, draft);
    const ctx = ensemble.federation.createContext(new URL(ensemble.origin), ensemble.services);
    await announceCampaign(ctx, community, campaign);

    const create = await mastodon.waitForDelivery(
      (d) => d.body?.type === "Create" && d.body.object?.type === "Question",
    );
    expect(create.verified).toBe(true);
    expect(create.path).toBe("/inbox"); // the shared inbox
    const question = create.body.object;
    questionId = question.id;
    expect(question.anyOf.map((o: { name: string }) => o.name)).toEqual(steps);
    expect(Math.abs(Date.parse(question.endTime) - campaign.endsAt.getTime())).toBeLessThan(1000);
    expect(question.content).toContain("<strong>petits pas</strong>");
    expect(question.content).toContain(questionId);
    expect(question.updated).toBeUndefined();
    expect(create.body.to).toContain("https://www.w3.org/ns/activitystreams#Public");

    // the object is fetchable, as Mastodon re-fetches polls
    const fetched = await (await fetch(questionId, { headers: { accept: "application/activity+json" } })).json();
    expect(fetched.type).toBe("Question");
    expect(fetched.votersCount).toBe(0);
  });

  it("counts a Mastodon vote and sends the new counts in a batched Update(Question)", async () => {
    expect((await vote("alice", steps[0])).status).toBe(202);
    const update = await mastodon.waitForDelivery((d) => d.body?.type === "Update" && d.body.object?.votersCount === 1);
    expect(update.verified).toBe(true);
    const options = update.body.object.anyOf as Array<{ name: string; replies: { totalItems: number } }>;
    expect(options.find((o) => o.name === steps[0])!.replies.totalItems).toBe(1);
    expect(options.find((o) => o.name === steps[1])!.replies.totalItems).toBe(0);
    expect(update.body.object.updated).toBeUndefined();
  });

  it("folds a burst of votes into few updates", async () => {
    const before = mastodon.deliveries.filter((d) => d.body?.type === "Update").length;
    await Promise.all(["bob", "carol", "dave", "erin"].map((u) => vote(u, steps[1])));
    await mastodon.waitForDelivery((d) => d.body?.type === "Update" && d.body.object?.votersCount === 5);
    const updates = mastodon.deliveries.filter((d) => d.body?.type === "Update").length - before;
    expect(updates).toBeGreaterThanOrEqual(1);
    expect(updates).toBeLessThan(4);
  });

  it("does not count a vote for a missing option, a second vote, a blocked actor, or a vote after the end", async () => {
    await addBlock(ensemble.services.db, community.id, "actor", mastodon.actorUrl("mallory"));
    const ended = await publishCampaign(
      ensemble.services.db,
      await createCampaign(ensemble.services.db, community.id, {
        title: "Fini",
        steps: ["Too late"],
        startsAt: new Date(Date.now() - 7200_000),
        endsAt: new Date(Date.now() - 3600_000),
      }),
    );
    const endedId = questionId.replace(campaign.id, ended.id);
    for (const res of await Promise.all([
      vote("alice", "No such step"),
      vote("alice", steps[0]),
      vote("mallory", steps[0]),
      vote("alice", "Too late", endedId),
    ])) {
      expect(res.status).toBe(202);
    }
    // a valid vote sent after them is still counted: nothing else broke
    await vote("alice", steps[2]);
    const t = await waitFor(async () => {
      const current = await tally(ensemble.services.db, campaign.id);
      return current.steps[2].participants === 1 ? current : undefined;
    });
    expect(t.steps.map((s) => s.participants)).toEqual([1, 4, 1]);
    expect(t.voters).toBe(5);
    expect((await tally(ensemble.services.db, ended.id)).voters).toBe(0);
  });

  it("lets a Mobilizon-style actor Join (Accept) and Leave", async () => {
    const join = { "@context": AS, id: id(mobilizon), type: "Join", actor: mobilizon.actorUrl(), object: questionId };
    expect((await mobilizon.signedPost(`${ensemble.origin}/communities/climat/inbox`, join)).status).toBe(202);
    const accept = await mobilizon.waitForDelivery((d) => d.body?.type === "Accept");
    expect(accept.verified).toBe(true);
    expect(accept.body.object.id ?? accept.body.object).toBe(join.id);
    expect((await tally(ensemble.services.db, campaign.id)).participants).toBe(6);

    const leave = { "@context": AS, id: id(mobilizon), type: "Leave", actor: mobilizon.actorUrl(), object: questionId };
    expect((await mobilizon.signedPost(`${ensemble.origin}/communities/climat/inbox`, leave)).status).toBe(202);
    await waitFor(async () => ((await tally(ensemble.services.db, campaign.id)).participants === 5 ? true : undefined));
  });

  it("stores replies sanitized, and honours their Update and Delete", async () => {
    const noteId = `${mastodon.origin}/users/bob/statuses/1`;
    const note = {
      id: noteId,
      type: "Note",
      attributedTo: mastodon.actorUrl("bob"),
      inReplyTo: questionId,
      content:
        '<p>Bravo <script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a></p>',
      contentMap: { fr: '<p>Bravo <script>alert(1)</script><img src=x onerror="alert(1)"></p>' },
      to: "https://www.w3.org/ns/activitystreams#Public",
      published: new Date().toISOString(),
    };
    const create = {
      "@context": AS,
      id: `${noteId}/activity`,
      type: "Create",
      actor: note.attributedTo,
      to: note.to,
      object: note,
    };
    expect((await mastodon.signedPost(`${ensemble.origin}/inbox`, create, { username: "bob" })).status).toBe(202);
    const stored = await waitFor(() => findInboundNote(ensemble.services.db, noteId));
    expect(stored.campaignId).toBe(campaign.id);
    expect(stored.contentHtml).not.toMatch(/<script|onerror|javascript:|<img/i);
    expect(stored.text).toContain("Bravo");
    // Mastodon sends a plain `content` beside the language map: the note's language is the map's.
    expect(stored.language).toBe("fr");

    const update = {
      "@context": AS,
      id: `${noteId}/edit`,
      type: "Update",
      actor: note.attributedTo,
      object: { ...note, content: "<p>Edited</p>", contentMap: undefined },
    };
    await mastodon.signedPost(`${ensemble.origin}/inbox`, update, { username: "bob" });
    await waitFor(async () =>
      (await findInboundNote(ensemble.services.db, noteId))?.text === "Edited" ? true : undefined,
    );

    // someone else cannot delete bob's note
    await mastodon.signedPost(
      `${ensemble.origin}/inbox`,
      {
        "@context": AS,
        id: `${noteId}/forged-delete`,
        type: "Delete",
        actor: mastodon.actorUrl("carol"),
        object: noteId,
      },
      { username: "carol" },
    );
    const del = {
      "@context": AS,
      id: `${noteId}/delete`,
      type: "Delete",
      actor: note.attributedTo,
      object: { id: noteId, type: "Tombstone" },
    };
    await mastodon.signedPost(`${ensemble.origin}/inbox`, del, { username: "bob" });
    await waitFor(async () => ((await findInboundNote(ensemble.services.db, noteId)) === undefined ? true : undefined));
  });

  it("scores each stored reply inline with the emotion model, and no emotion for a link-only note", async () => {
    const reply = async (n: number, content: string) => {
      const noteId = `${mastodon.origin}/users/carol/statuses/score-${n}`;
      const note = {
        id: noteId,
        type: "Note",
        attributedTo: mastodon.actorUrl("carol"),
        inReplyTo: questionId,
        content,
        to: "https://www.w3.org/ns/activitystreams#Public",
      };
      await mastodon.signedPost(
        `${ensemble.origin}/inbox`,
        { "@context": AS, id: `${noteId}/activity`, type: "Create", actor: note.attributedTo, object: note },
        { username: "carol" },
      );
      return waitFor(() => findInboundNote(ensemble.services.db, noteId));
    };
    const { loadEmotionModel } = await import("../../src/emotion/model");
    const model = await loadEmotionModel();
    const thanks = await reply(1, "<p>Thank you so much for organising this!</p>");
    expect(thanks.emotionModel).toBe(model.version);
    expect(thanks.emotionScores).toHaveLength(28);
    const gratitude = thanks.emotionScores![model.labels.indexOf("gratitude")];
    expect(gratitude).toBeGreaterThanOrEqual(model.thresholds.gratitude);
    const link = await reply(2, '<p><a href="https://example.org/x">https://example.org/x</a></p>');
    expect(link.emotionScores).toBeNull();
    expect(link.emotionModel).toBeNull();
  });
});
