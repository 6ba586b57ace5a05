import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboard } from "../../src/console/data";
import type { Community } from "../../src/domain/communities";
import { findInboundNote } from "../../src/domain/notes";
import { shippedModel } from "../../src/reports/model/shipped-model";
import { rebuildRollups } from "../../src/reports/rollups/rollup-rebuild";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { openCampaign, reportedNotes } from "../helpers/open-campaign";

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;

// Mastodon's four visibilities, sent by an independent signing peer. Only what the author
// published to everyone may reach a public page, a public collection or a sentiment report.
describe.each(databaseKinds)("a note's audience decides where it may appear (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let community: Community;
  let questionId: string;
  let communityUrl: string;

  const send = async (username: string, text: string, to: string[], cc: string[], mention = false) => {
    const actor = peer.actorUrl(username);
    const note = {
      id: `${actor}/statuses/${username}`,
      type: "Note",
      attributedTo: actor,
      inReplyTo: mention ? undefined : questionId,
      content: `<p>${text}</p>`,
      to,
      cc,
      tag: mention ? [{ type: "Mention", href: communityUrl, name: "@climat" }] : [],
    };
    const res = await peer.signedPost(
      `${ensemble.origin}/inbox`,
      { "@context": AS, id: `${note.id}/activity`, type: "Create", actor, to, cc, object: note },
      { username },
    );
    expect(res.status).toBe(202);
    return waitFor(() => findInboundNote(ensemble.services.db, note.id));
  };

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    peer = await startPeer({ usernames: ["pub", "unl", "fol", "dir"] });
    ({ community, communityUrl, questionId } = await openCampaign(ensemble));
  }, 60_000);
  afterAll(async () => {
    await peer?.close();
    await ensemble?.stop();
  });

  it("stores each visibility, and only public and unlisted replies reach the page, the Question and the report", async () => {
    const words = "Thank you so much, this is wonderful and I love it";
    const pub = await send("pub", `Public: ${words}`, [PUBLIC], [`${peer.actorUrl("pub")}/followers`, communityUrl]);
    const unl = await send("unl", `Unlisted: ${words}`, [`${peer.actorUrl("unl")}/followers`], [PUBLIC, communityUrl]);
    const fol = await send("fol", `Followers only: ${words}`, [`${peer.actorUrl("fol")}/followers`], [communityUrl]);
    const dir = await send("dir", `Direct: ${words}`, [communityUrl], [], true);
    expect([pub.audience, unl.audience, fol.audience, dir.audience]).toEqual([
      "public",
      "unlisted",
      "followers",
      "direct",
    ]);
    expect(dir.campaignId).toBeNull(); // a mention of the community, not a reply to the campaign
    for (const n of [pub, unl, fol, dir]) expect(n.emotionScores).not.toBeNull();

    const page = await (await fetch(questionId)).text();
    expect(page).toContain("Public: Thank you");
    expect(page).toContain("Unlisted: Thank you");
    expect(page).not.toContain("Followers only");
    expect(page).not.toContain("Direct:");

    const question = await (await fetch(questionId, { headers: { accept: "application/activity+json" } })).text();
    expect(question).not.toMatch(/Followers only|Direct:/);

    // the rollups count the two public notes exactly, on the write path and after a rebuild
    expect(shippedModel()).not.toBeNull();
    expect(await reportedNotes(ensemble, community.id)).toBe(2);
    await ensemble.services.db.transaction((tx) => rebuildRollups(tx, shippedModel()!.info));
    expect(await reportedNotes(ensemble, community.id)).toBe(2);
    const report = await (await fetch(`${communityUrl}/reports`)).text();
    expect(report).not.toMatch(/Followers only|Direct:/);
  });

  it("stewards see the private notes in the console, marked private", async () => {
    const dashboard = await loadDashboard(ensemble.services.db, community);
    const byAudience = Object.fromEntries(dashboard.replies.map((r) => [r.audience, r.text]));
    expect(byAudience.followers).toContain("Followers only");
    expect(byAudience.direct).toContain("Direct:");
  });
});
