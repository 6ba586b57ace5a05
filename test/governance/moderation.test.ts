import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundNotes } from "../../drizzle/schema";
import { createCampaign, publishCampaign, tally } from "../../src/domain/campaigns";
import { issueToken } from "../../src/domain/tokens";
import { communityWithToken } from "../api/client";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

const AS = "https://www.w3.org/ns/activitystreams";

// A server of its own: blocking the domain 127.0.0.1 refuses every local peer.
describe.each(databaseKinds)("moderation and statements of reasons (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let mastodon: Peer;
  let steward: string;
  let moderator: string;
  let questionId: string;
  let campaignId: string;
  let n = 0;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${ensemble.origin}/api/v1/communities/climat${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const vote = (username: string, option: string) => {
    const note = {
      id: `${mastodon.origin}/notes/${++n}`,
      type: "Note",
      name: option,
      attributedTo: mastodon.actorUrl(username),
      inReplyTo: questionId,
      to: `${ensemble.origin}/communities/climat`,
    };
    return mastodon.signedPost(
      `${ensemble.origin}/inbox`,
      { "@context": AS, id: `${note.id}/create`, type: "Create", actor: note.attributedTo, to: note.to, object: note },
      { username },
    );
  };
  const reply = `https://elsewhere.example/notes/spam`;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    mastodon = await startPeer({ usernames: ["alice", "bob", "rita"] });
    const { community, token } = await communityWithToken(ensemble, "climat");
    steward = token;
    moderator = await issueToken(ensemble.services.db, ensemble.origin, community, {
      role: "moderator",
      label: "moderation team",
    });
    const campaign = await publishCampaign(
      ensemble.services.db,
      await createCampaign(ensemble.services.db, community.id, {
        title: "Rouen respire",
        steps: ["Sign", "Come"],
        startsAt: new Date(Date.now() - 3600_000),
        endsAt: new Date(Date.now() + 86400_000),
      }),
    );
    campaignId = campaign.id;
    questionId = `${ensemble.origin}/communities/climat/campaigns/${campaign.id}`;
    await ensemble.services.db.insert(inboundNotes).values({
      iri: reply,
      communityId: community.id,
      campaignId: campaign.id,
      inReplyTo: questionId,
      authorIri: "https://elsewhere.example/users/spammer",
      contentHtml: "<p>Buy now</p>",
      text: "Buy now",
      published: new Date(),
    });
    expect((await api(steward, "PUT", "/governance/rules", { text: "1. No advertising.\n2. Be kind." })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await mastodon?.close();
    await ensemble?.stop();
  });

  it("queues a Flag for moderators, listed under the API's /moderation/reports", async () => {
    const flag = {
      "@context": AS,
      id: `${mastodon.origin}/flags/1`,
      type: "Flag",
      actor: mastodon.actorUrl("rita"),
      object: [reply],
      content: "Spam, says rita",
    };
    expect(
      (await mastodon.signedPost(`${ensemble.origin}/communities/climat/inbox`, flag, { username: "rita" })).status,
    ).toBe(202);
    const flags = await waitFor(async () => {
      const body = await (await api(moderator, "GET", "/moderation/reports?status=open")).json();
      return body.reports.length > 0 ? body.reports : undefined;
    });
    expect(flags[0]).toMatchObject({
      reporter: mastodon.actorUrl("rita"),
      objects: [reply],
      content: "Spam, says rita",
      status: "open",
    });
  });

  it("hides a reply on a flag, publishing a statement of reasons without the reporter", async () => {
    const [flag] = (await (await api(moderator, "GET", "/moderation/reports")).json()).reports;
    const bad = await api(moderator, "POST", "/moderation/hide", {
      note: reply,
      rule: "No bribery.",
      facts: "x",
      report: flag.id,
    });
    expect(bad.status).toBe(409);
    const res = await api(moderator, "POST", "/moderation/hide", {
      note: reply,
      rule: "No advertising.",
      facts: "The reply advertises a shop.",
      report: flag.id,
    });
    expect(res.status).toBe(201);
    const { statement, record } = await res.json();
    expect(statement).toMatchObject({
      decision: "reply hidden from the public pages",
      ground: { type: "incompatible-with-community-rules", rule: "No advertising.", rulesVersion: 1 },
      facts: "The reply advertises a shop.",
      automatedDetection: false,
      automatedDecision: false,
      contentType: "text",
      content: reply,
      source: "notice",
    });
    const [note] = await ensemble.services.db.select().from(inboundNotes);
    expect(note.hidden).toBe(true);
    expect((await api(moderator, "POST", `/moderation/reports/${flag.id}/reject`, { facts: "again" })).status).toBe(
      409,
    );

    const published = [
      await (await fetch(record)).text(),
      await (await fetch(`${ensemble.origin}/communities/climat/moderation`)).text(),
      await (await fetch(`${ensemble.origin}/communities/climat/moderation.json`)).text(),
      await (await fetch(`${ensemble.origin}/communities/climat/governance.json`)).text(),
    ];
    for (const text of published) {
      expect(text).not.toContain("rita");
      expect(text).not.toContain(mastodon.origin);
    }
    expect(published[1]).toContain("No advertising.");
    expect(published[1]).toContain("a report");
    const fr = await (
      await fetch(`${ensemble.origin}/communities/climat/moderation`, { headers: { cookie: "lang=fr" } })
    ).text();
    expect(fr).toContain("Journal de modération de");
    expect(fr).toContain("un signalement");
    expect(fr).toContain("No advertising.");
    expect(fr).not.toContain("rita");
  });

  it("rejects a flag with a statement that no action was taken", async () => {
    const activity = {
      "@context": AS,
      id: `${mastodon.origin}/flags/2`,
      type: "Flag",
      actor: mastodon.actorUrl("rita"),
      object: [`${ensemble.origin}/communities/climat`],
    };
    expect((await mastodon.signedPost(`${ensemble.origin}/inbox`, activity, { username: "rita" })).status).toBe(202);
    const flag = await waitFor(
      async () => (await (await api(moderator, "GET", "/moderation/reports?status=open")).json()).reports[0],
    );
    const other = (await communityWithToken(ensemble, "velo")).token;
    expect(
      (await api(other, "POST", `/moderation/reports/${flag.id}/reject`, { facts: "Nothing wrong." })).status,
    ).toBe(403);
    expect((await api(moderator, "POST", "/moderation/reports/nope/reject", { facts: "Nothing wrong." })).status).toBe(
      404,
    );
    const res = await api(moderator, "POST", `/moderation/reports/${flag.id}/reject`, { facts: "Nothing wrong." });
    expect(res.status).toBe(201);
    expect((await res.json()).statement).toMatchObject({
      decision: "report rejected: no action taken",
      ground: { type: "none" },
      source: "notice",
    });
    expect((await (await api(moderator, "GET", "/moderation/reports?status=rejected")).json()).reports).toHaveLength(1);
  });

  it("refuses votes from a blocked domain, and explains the block", async () => {
    expect((await vote("alice", "Sign")).status).toBe(202);
    await waitFor(async () => ((await tally(ensemble.services.db, campaignId)).voters === 1 ? true : undefined));

    const res = await api(steward, "POST", "/moderation/blocks", {
      kind: "domain",
      value: "127.0.0.1",
      rule: "Be kind.",
      facts: "Abuse from this server.",
    });
    expect(res.status).toBe(201);
    expect((await res.json()).statement).toMatchObject({
      contentType: "domain",
      content: "127.0.0.1",
      source: "own-initiative",
    });

    expect((await vote("bob", "Come")).status).toBe(202);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await tally(ensemble.services.db, campaignId)).voters).toBe(1);
    const log = await (await fetch(`${ensemble.origin}/communities/climat/moderation.json`)).json();
    expect(log.statements.map((s: { statement: { contentType: string } }) => s.statement.contentType)).toEqual([
      "text",
      "text",
      "domain",
    ]);
  });

  it("publishes a yearly summary: counts by decision and ground, median handling time", async () => {
    const year = new Date().getUTCFullYear();
    const summary = await (await fetch(`${ensemble.origin}/communities/climat/moderation/${year}.json`)).json();
    expect(summary).toMatchObject({
      type: "moderation-summary",
      year,
      statements: 3,
      reportsResolved: 2,
      byDecision: {
        "reply hidden from the public pages": 1,
        "report rejected: no action taken": 1,
        "votes, joins and replies from this domain refused": 1,
      },
      byGround: {
        "incompatible-with-community-rules: No advertising.": 1,
        "incompatible-with-community-rules: Be kind.": 1,
        none: 1,
      },
    });
    expect(summary.medianHandlingHours).toBeGreaterThanOrEqual(0);
    expect(summary.medianHandlingHours).toBeLessThan(1);
    const html = await (await fetch(`${ensemble.origin}/communities/climat/moderation/${year}`)).text();
    expect(html).toContain("3 statements of reasons; 2 reports resolved");
    const fr = await (
      await fetch(`${ensemble.origin}/communities/climat/moderation/${year}`, { headers: { "accept-language": "fr" } })
    ).text();
    expect(fr).toContain("3 exposés des motifs ; 2 signalements traités");
    expect(fr).toContain("Par motif");
    expect(html).not.toContain("rita");
    expect(
      (await (await fetch(`${ensemble.origin}/communities/climat/moderation/${year - 1}.json`)).json()).statements,
    ).toBe(0);
  });

  it("tells a blocked account with a federated Block", async () => {
    const res = await api(moderator, "POST", "/moderation/blocks", {
      kind: "actor",
      value: mastodon.actorUrl("bob"),
      rule: "Be kind.",
      facts: "Insults.",
    });
    expect(res.status).toBe(201);
    const block = await mastodon.waitForDelivery((d) => d.body?.type === "Block");
    expect(block.verified).toBe(true);
    expect(block.body.actor).toBe(`${ensemble.origin}/communities/climat`);
    expect(block.body.object).toBe(mastodon.actorUrl("bob"));
  });

  it("lifts blocks in public: the Block undone, the account heard again", async () => {
    const bob = mastodon.actorUrl("bob");
    const lift = (token: string, body: unknown) => api(token, "POST", "/moderation/blocks/lift", body);
    const res = await lift(moderator, { kind: "actor", value: bob, facts: "Apologised in public." });
    expect(res.status).toBe(201);
    expect((await res.json()).act).toMatchObject({
      kind: "actor",
      value: bob,
      facts: "Apologised in public.",
      liftedBy: "moderation team",
    });
    const block = mastodon.deliveries.find((d) => d.body?.type === "Block")!;
    const undo = await mastodon.waitForDelivery((d) => d.body?.type === "Undo");
    expect(undo.verified).toBe(true);
    expect(undo.body.object).toMatchObject({ id: block.body.id, type: "Block", object: bob });
    expect((await lift(moderator, { kind: "actor", value: bob, facts: "Again." })).status).toBe(404);
    expect((await lift(moderator, { kind: "domain", value: "127.0.0.1" })).status).toBe(422); // no reason given

    // the domain block still refuses bob's vote until it is lifted too
    expect((await lift(steward, { kind: "domain", value: "127.0.0.1", facts: "The abuse stopped." })).status).toBe(201);
    expect((await vote("bob", "Come")).status).toBe(202);
    await waitFor(async () => ((await tally(ensemble.services.db, campaignId)).voters === 2 ? true : undefined));
    const governance = await (await fetch(`${ensemble.origin}/communities/climat/governance.json`)).json();
    expect(
      governance.document.acts
        .filter((a: { type: string }) => a.type === "block-lifted")
        .map((a: { document: { kind: string } }) => a.document.kind),
    ).toEqual(["actor", "domain"]);
    // each decision is a sentence on the governance page, in the reader's language
    const page = await (await fetch(`${ensemble.origin}/communities/climat/governance`)).text();
    expect(page).toContain(
      "<strong>moderation team</strong> lifted the block on the account <code>" +
        bob +
        "</code>. Facts: <q>Apologised in public.</q>",
    );
    expect(page).toContain("lifted the block on the domain <code>127.0.0.1</code>.");
    expect(page).toContain(
      "blocked the domain <code>127.0.0.1</code>: votes, joins and replies from it are refused. Rule applied: <q>Be kind.</q>.",
    );
    expect(page).toMatch(
      /hid the reply <a href="[^"]+">[^<]+<\/a> from the public pages\. Rule applied: <q>No advertising\.<\/q>/,
    );
    const fr = await (
      await fetch(`${ensemble.origin}/communities/climat/governance`, { headers: { "accept-language": "fr" } })
    ).text();
    expect(fr).toContain("a levé le blocage du domaine <code>127.0.0.1</code>.");
    expect(fr).toContain(
      "a bloqué le domaine <code>127.0.0.1</code> : les votes, participations et réponses qui en viennent sont refusés. Règle appliquée : <q>Be kind.</q>.",
    );
    expect(fr).toMatch(/a rejeté un signalement concernant .* : aucune mesure prise\./);
  });
});
