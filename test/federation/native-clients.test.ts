import { verifyJsonLd } from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundNotes } from "../../drizzle/schema";
import { createCampaign, tally, type Campaign } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import { findInboundNote } from "../../src/domain/notes";
import { campaignPublisher } from "../../federation/publisher";
import { campaignActions } from "../../src/domain/campaign-actions";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Delivery, type Peer } from "../helpers/mastodon-peer";
import {
  mastodonMentioned,
  mastodonPoll,
  mastodonQuoteAuthorized,
  mastodonShowsInHome,
  mastodonStoresCreate,
  mobilizonCanJoin,
  mobilizonHandlesCreate,
  type MastodonServer,
} from "../helpers/peer-rules";

const AS = "https://www.w3.org/ns/activitystreams";
const AP = { accept: "application/activity+json" };
const getJson = async (url: string) => {
  const res = await fetch(url, { headers: AP });
  expect(res.status, url).toBe(200);
  return (await res.json()) as any;
};
const idOf = (v: any) => (typeof v === "string" ? v : v?.id);

describe.each(databaseKinds)("campaigns as each client understands them (%s)", (kind) => {
  let ensemble: TestEnsemble;
  /** A Mastodon server where alice follows the community. */
  let mastodon: Peer;
  /** A Mastodon server where vera only votes: nobody there follows the community. */
  let voters: Peer;
  /** A Mobilizon server where gaston follows the community. */
  let mobilizon: Peer;
  let community: Community;
  let campaign: Campaign;
  let actions: ReturnType<typeof campaignActions>;
  let questionId: string;
  let eventId: string;
  let updateId: string;
  let n = 0;
  const id = (peer: Peer) => `${peer.origin}/activities/${++n}`;
  const server = (peer: Peer, accounts: string[], followed: string[] = []): MastodonServer => ({
    accounts: accounts.map((u) => peer.actorUrl(u)),
    followed,
    statuses: [],
  });
  const communityUrl = () => `${ensemble.origin}/communities/climat`;
  const creates = (peer: Peer, type: string) =>
    peer.deliveries.filter((d) => d.body?.type === "Create" && d.body.object?.type === type);

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    actions = campaignActions(campaignPublisher(ensemble.federation, ensemble.services), ensemble.services);
    mastodon = await startPeer({ usernames: ["alice", "bob", "carol"], software: "mastodon" });
    voters = await startPeer({ usernames: ["vera"], software: "mastodon" });
    mobilizon = await startPeer({ usernames: ["gaston"], software: "mobilizon" });
    community = await createCommunity(ensemble.services.db, {
      handle: "climat",
      name: "Climat Rouen",
      summary: "Air pur à Rouen <b>maintenant</b>\n\nDeuxième paragraphe",
    });
    for (const [peer, username] of [
      [mastodon, "alice"],
      [mobilizon, "gaston"],
    ] as const) {
      const follow = {
        "@context": AS,
        id: id(peer),
        type: "Follow",
        actor: peer.actorUrl(username),
        object: communityUrl(),
      };
      expect((await peer.signedPost(`${communityUrl()}/inbox`, follow, { username })).status).toBe(202);
      await peer.waitForDelivery((d) => d.body?.type === "Accept");
    }
  });
  afterAll(async () => {
    await mastodon?.close();
    await voters?.close();
    await mobilizon?.close();
    await ensemble?.stop();
  });

  it("sends a one-step campaign as a poll Mastodon's parser accepts, and Mobilizon an Event it handles", async () => {
    const draft = await createCampaign(ensemble.services.db, community.id, {
      title: "Rouen respire",
      description: "Un seul pas.",
      steps: ["Sign the letter"],
      startsAt: new Date(Date.now() - 3600_000),
      endsAt: new Date(Date.now() + 7 * 86400_000),
      hashtags: ["climat"],
    });
    campaign = await actions.publish(community, draft);

    const create = await mastodon.waitForDelivery(
      (d) => d.body?.type === "Create" && d.body.object?.type === "Question",
    );
    expect(create.verified).toBe(true);
    const question = create.body.object;
    questionId = question.id;
    // the array rule of Mastodon's PollParser (and Misskey's): one option is still an array
    expect(mastodonPoll(question)).toEqual({ options: ["Sign the letter"], multiple: true });
    // fetched again, as Mastodon refreshes polls, it is still a valid poll
    expect(mastodonPoll(await getJson(questionId))).toEqual({ options: ["Sign the letter"], multiple: true });
    // Pleroma and Akkoma show `name` above the content, which starts with the title already
    expect(question.name).toBeUndefined();
    expect(question.content).toMatch(/^<p><strong>Rouen respire<\/strong><\/p>/);
    expect(idOf(question.replies)).toBe(`${questionId}/replies`);
    expect(question.interactionPolicy.canQuote.automaticApproval).toContain(
      "https://www.w3.org/ns/activitystreams#Public",
    );

    // the array (and the Mobilizon fields below) leave the RSA Linked Data signature valid,
    // which Mastodon checks on activities relayed to it
    const signed = async (body: unknown) => {
      const loader = getDocumentLoader({ allowPrivateAddress: true });
      const options = { documentLoader: loader, contextLoader: loader };
      expect(await verifyJsonLd(body, options)).toBe(true);
    };
    await signed(create.body);

    // the Mobilizon server gets the campaign as an Event, never a Question it would drop
    const eventCreate = await mobilizon.waitForDelivery((d) => d.body?.type === "Create");
    expect(eventCreate.verified).toBe(true);
    expect(mobilizonHandlesCreate(eventCreate.body)).toBe(true);
    expect(mobilizonHandlesCreate(create.body)).toBe(false); // what it would have done with the poll
    expect(creates(mobilizon, "Question")).toHaveLength(0);
    expect(creates(mastodon, "Event")).toHaveLength(0);
    const event = eventCreate.body.object;
    eventId = event.id;
    expect(eventId).not.toBe(questionId);
    expect(event.name).toBe("Rouen respire");
    expect(idOf(event.url) ?? event.url).toBe(questionId); // the campaign page
    expect(Math.abs(Date.parse(event.startTime) - campaign.startsAt.getTime())).toBeLessThan(1000);
    expect(Math.abs(Date.parse(event.endTime) - campaign.endsAt.getTime())).toBeLessThan(1000);
    expect(event.participantCount).toBe(0);
    await signed(eventCreate.body);
    const fetched = await getJson(eventId);
    expect(fetched.type).toBe("Event");
    expect(fetched.participantCount).toBe(0);
  });

  it("lets a new follower find the open campaign in featured, and counts the posts in the outbox", async () => {
    const actor = await getJson(communityUrl());
    const featured = await getJson(actor.featured);
    const items = featured.orderedItems ?? featured.items;
    const found = (Array.isArray(items) ? items : [items]).find((i: any) => i.id === questionId);
    expect(found).toBeDefined();
    expect(mastodonPoll(found)?.options).toEqual(["Sign the letter"]);

    const outbox = await getJson(actor.outbox);
    expect(outbox.totalItems).toBe(1);
    const first = await getJson(idOf(outbox.first));
    const posts = first.orderedItems ?? first.items;
    expect((Array.isArray(posts) ? posts : [posts]).map((a: any) => a.object.id)).toEqual([questionId]);
  });

  it("answers a QuoteRequest with an Accept whose authorization Mastodon can check (FEP-044f)", async () => {
    const quote = `${mastodon.origin}/users/carol/statuses/quote-1`;
    const request = {
      "@context": [AS, { QuoteRequest: "https://w3id.org/fep/044f#QuoteRequest" }],
      id: id(mastodon),
      type: "QuoteRequest",
      actor: mastodon.actorUrl("carol"),
      object: questionId,
      instrument: {
        id: quote,
        type: "Note",
        attributedTo: mastodon.actorUrl("carol"),
        content: "<p>Look</p>",
        quote: questionId,
      },
    };
    expect((await mastodon.signedPost(`${communityUrl()}/inbox`, request, { username: "carol" })).status).toBe(202);
    const accept = await mastodon.waitForDelivery(
      (d) => d.body?.type === "Accept" && idOf(d.body.object) === request.id,
    );
    expect(accept.verified).toBe(true);
    const stamp = await getJson(idOf(accept.body.result));
    expect(mastodonQuoteAuthorized(stamp, quote, questionId, communityUrl())).toBe(true);
    // a stamp for a post that is not this community's authorizes nothing
    const forged = idOf(accept.body.result).replace(
      /[^/]+$/,
      Buffer.from(JSON.stringify([quote, `${mastodon.origin}/x`])).toString("base64url"),
    );
    expect((await fetch(forged, { headers: AP })).status).not.toBe(200);
  });

  it("counts a Mobilizon Join of the Event and accepts it, rejects a Join of the community itself, and counts Leave", async () => {
    expect(mobilizonCanJoin(await getJson(eventId))).toBe(true);
    const join = { "@context": AS, id: id(mobilizon), type: "Join", actor: mobilizon.actorUrl(), object: eventId };
    expect((await mobilizon.signedPost(`${communityUrl()}/inbox`, join)).status).toBe(202);
    const accept = await mobilizon.waitForDelivery((d) => d.body?.type === "Accept" && idOf(d.body.object) === join.id);
    expect(accept.verified).toBe(true);
    expect((await tally(ensemble.services.db, campaign.id)).participants).toBe(1);
    // the batched Update of the Event carries the new count
    const update = await mobilizon.waitForDelivery(
      (d) => d.body?.type === "Update" && d.body.object?.participantCount === 1,
    );
    expect(update.body.object.id).toBe(eventId);

    const joinGroup = {
      "@context": AS,
      id: id(mobilizon),
      type: "Join",
      actor: mobilizon.actorUrl(),
      object: communityUrl(),
    };
    expect((await mobilizon.signedPost(`${communityUrl()}/inbox`, joinGroup)).status).toBe(202);
    const reject = await mobilizon.waitForDelivery(
      (d) => d.body?.type === "Reject" && idOf(d.body.object) === joinGroup.id,
    );
    expect(reject.verified).toBe(true);

    const leave = { "@context": AS, id: id(mobilizon), type: "Leave", actor: mobilizon.actorUrl(), object: eventId };
    expect((await mobilizon.signedPost(`${communityUrl()}/inbox`, leave)).status).toBe(202);
    await waitFor(async () => ((await tally(ensemble.services.db, campaign.id)).participants === 0 ? true : undefined));
    // joined again, to stay a participant for what follows
    const again = { ...join, id: id(mobilizon) };
    await mobilizon.signedPost(`${communityUrl()}/inbox`, again);
    await mobilizon.waitForDelivery((d) => d.body?.type === "Accept" && idOf(d.body.object) === again.id);
  });

  it("delivers an update to a server with only a participant, where Mastodon stores it and shows it", async () => {
    const note = {
      id: id(voters),
      type: "Note",
      name: "Sign the letter",
      attributedTo: voters.actorUrl("vera"),
      inReplyTo: questionId,
      to: communityUrl(),
    };
    await voters.signedPost(
      `${ensemble.origin}/inbox`,
      { "@context": AS, id: `${note.id}/create`, type: "Create", actor: note.attributedTo, to: note.to, object: note },
      { username: "vera" },
    );
    await waitFor(async () => ((await tally(ensemble.services.db, campaign.id)).voters === 1 ? true : undefined));

    const update = await actions.postUpdate(community, campaign, "La lettre part **lundi**.");
    const isUpdate = (d: Delivery) => d.body?.type === "Create" && d.body.object?.type === "Note";
    const atVoters = await voters.waitForDelivery(isUpdate);
    updateId = atVoters.body.object.id;
    expect(atVoters.verified).toBe(true);
    const verasServer = server(voters, ["vera"]);
    // Mastodon's related_to_local_activity?: nobody there follows the community, but vera is addressed
    expect(mastodonStoresCreate(atVoters, verasServer)).toBe(true);
    expect(
      mastodonStoresCreate(
        { ...atVoters, body: { ...atVoters.body, object: { ...atVoters.body.object, cc: [] }, cc: [] } },
        verasServer,
      ),
    ).toBe(false);
    expect(mastodonShowsInHome(atVoters.body.object, verasServer)).toBe(true);
    expect(mastodonMentioned(atVoters.body.object, verasServer)).toEqual([voters.actorUrl("vera")]);
    expect(atVoters.body.object.content).toContain("<strong>lundi</strong>");
    expect(atVoters.body.object.content).toContain(questionId);

    // the follower's server stores it because alice follows; it names no participant of another server
    const atMastodon = await mastodon.waitForDelivery(isUpdate);
    expect(mastodonStoresCreate(atMastodon, server(mastodon, ["alice"], [communityUrl()]))).toBe(true);
    expect(JSON.stringify(atMastodon.body)).not.toContain(voters.actorUrl("vera"));
    // nor does the public post anyone can fetch
    const fetched = await getJson(updateId);
    expect(JSON.stringify(fetched)).not.toContain(voters.actorUrl("vera"));
    expect(fetched.inReplyTo).toBeUndefined();

    // Mobilizon gets it as a comment on the Event it holds
    const atMobilizon = await mobilizon.waitForDelivery(isUpdate);
    expect(mobilizonHandlesCreate(atMobilizon.body)).toBe(true);
    expect(atMobilizon.body.object.inReplyTo).toBe(eventId);
    expect(update.id).toBeTruthy();

    expect((await getJson(`${communityUrl()}/outbox`)).totalItems).toBe(2);
  });

  it("lists a campaign's public replies in its replies collection, without hidden ones", async () => {
    const reply = async (k: number) => {
      const noteId = `${mastodon.origin}/users/bob/statuses/r${k}`;
      const note = {
        id: noteId,
        type: "Note",
        attributedTo: mastodon.actorUrl("bob"),
        inReplyTo: questionId,
        content: `<p>Reply ${k}</p>`,
        to: `${AS}#Public`,
      };
      await mastodon.signedPost(
        `${ensemble.origin}/inbox`,
        { "@context": AS, id: `${noteId}/activity`, type: "Create", actor: note.attributedTo, object: note },
        { username: "bob" },
      );
      await waitFor(() => findInboundNote(ensemble.services.db, noteId));
      return noteId;
    };
    const first = await reply(1);
    const second = await reply(2);
    const replies = await getJson(`${questionId}/replies`);
    expect(replies.totalItems).toBe(2);
    const page = await getJson(idOf(replies.first));
    const items = page.orderedItems ?? page.items;
    expect((Array.isArray(items) ? items : [items]).map(idOf)).toEqual([first, second]);

    // as a moderator's hide does
    await ensemble.services.db.update(inboundNotes).set({ hidden: true }).where(eq(inboundNotes.iri, first));
    const after = await getJson(`${questionId}/replies`);
    expect(after.totalItems).toBe(1);
    const afterPage = await getJson(idOf(after.first));
    expect(JSON.stringify(afterPage)).not.toContain(first);
  });

  it("closing tells poll servers the poll closed and posts the outcome to every server", async () => {
    const closed = await actions.close(community, campaign, "La préfecture a répondu.", "test");
    campaign = closed;
    const pollClosed = await voters.waitForDelivery((d) => d.body?.type === "Update" && d.body.object?.closed != null);
    expect(Math.abs(Date.parse(pollClosed.body.object.closed) - closed.closedAt!.getTime())).toBeLessThan(1000);
    expect(Math.abs(Date.parse(pollClosed.body.object.endTime) - closed.closedAt!.getTime())).toBeLessThan(1000);
    const outcome = await voters.waitForDelivery(
      (d) => d.body?.type === "Create" && d.body.object?.content?.includes("La préfecture a répondu."),
    );
    expect(mastodonStoresCreate(outcome, server(voters, ["vera"]))).toBe(true);
    await mastodon.waitForDelivery(
      (d) => d.body?.type === "Create" && d.body.object?.content?.includes("La préfecture a répondu."),
    );
    await mobilizon.waitForDelivery(
      (d) => d.body?.type === "Create" && d.body.object?.content?.includes("La préfecture a répondu."),
    );
    // closed campaigns are no longer featured
    const featured = await getJson(`${communityUrl()}/featured`);
    expect(featured.totalItems).toBe(0);
  });

  it("deleting a campaign deletes it and its updates everywhere, and their URLs answer 410", async () => {
    await actions.remove(community, campaign);
    await mastodon.waitForDelivery((d) => d.body?.type === "Delete" && idOf(d.body.object) === questionId);
    await mastodon.waitForDelivery((d) => d.body?.type === "Delete" && idOf(d.body.object) === updateId);
    await voters.waitForDelivery((d) => d.body?.type === "Delete" && idOf(d.body.object) === updateId);
    await mobilizon.waitForDelivery((d) => d.body?.type === "Delete" && idOf(d.body.object) === eventId);
    for (const url of [questionId, eventId, updateId]) {
      expect((await fetch(url, { headers: AP })).status, url).toBe(410);
    }
    expect((await getJson(`${communityUrl()}/outbox`)).totalItems).toBe(0);
  });

  it("presents the community with an HTML summary, indexable, with a generated PNG avatar and header", async () => {
    const actor = await getJson(communityUrl());
    expect(actor.indexable).toBe(true);
    expect(actor.summary).toBe("<p>Air pur à Rouen &lt;b&gt;maintenant&lt;/b&gt;</p><p>Deuxième paragraphe</p>");
    const png = async (url: string) => {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      return Buffer.from(await res.arrayBuffer());
    };
    const avatar = await png(actor.icon.url);
    const header = await png(actor.image.url);
    expect(avatar.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([avatar.readUInt32BE(16), avatar.readUInt32BE(20)]).toEqual([400, 400]);
    expect([header.readUInt32BE(16), header.readUInt32BE(20)]).toEqual([1500, 500]);
    expect(await png(actor.icon.url)).toEqual(avatar); // the same every time
    await createCommunity(ensemble.services.db, { handle: "velo", name: "Vélo" });
    expect(await png(`${ensemble.origin}/communities/velo/avatar.png`)).not.toEqual(avatar);
    expect((await fetch(`${ensemble.origin}/communities/nobody/avatar.png`)).status).toBe(404);
  });
});
