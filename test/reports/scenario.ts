// A known set of scored notes, stored through the real write path (storeInboundNote and
// friends, with a deterministic scorer), and the raw rows read back for recomputation.

import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/database";
import { createCampaign, publishCampaign, type Campaign } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import type { NoteScorer } from "../../src/emotion";
import { deleteInboundNote, storeInboundNote, updateInboundNote } from "../../src/domain/notes";
import { query } from "../../src/reports/rollups/db";
import { shippedModel } from "../../src/reports/model/shipped-model";
import type { ScoredRow } from "../../src/reports/rollups/rollup-in-memory";

const model = () => {
  const m = shippedModel();
  if (!m) throw new Error("models/emotion.json is missing");
  return m.info;
};

/** FNV-1a of a string, as a number in [0, 1). */
function unit(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** Words of the text naming a label score 0.55–0.95; every other label a small value; all from the text alone. */
export const scorer: NoteScorer = async (text) => {
  const { labels, version } = model();
  if (text.trim() === "") return null; // like the model: no text, no emotion
  const words = new Set(text.toLowerCase().split(/\W+/));
  const scores = labels.map((l) => (words.has(l) ? 0.55 + 0.4 * unit(`${text}|${l}`) : 0.06 * unit(`${text}|${l}`)));
  return { scores, model: version };
};

export interface Scenario {
  community: Community;
  campaign: Campaign;
}

const day = (d: string, hour = 12) => new Date(`${d}T${String(hour).padStart(2, "0")}:00:00Z`);

/**
 * A campaign over three weeks, on the write path:
 *  - week of 2025-03-03: 14 authors; p1 writes six notes (anger, three of them also fear), the others one
 *    each (joy, admiration, neutral); two are edited (re-scored) and one deleted afterwards.
 *  - week of 2025-03-10: 5 authors → suppressed (< 11).
 *  - week of 2025-03-17: 12 authors → suppressed complementarily (it would reveal week 2 from the total).
 *  - plus mentions of the community outside the campaign, and a note without text (no scores).
 */
export async function buildScenario(db: Db): Promise<Scenario> {
  const community = await createCommunity(db, { handle: "climat", name: "Climat Rouen" });
  const campaign = await publishCampaign(
    db,
    await createCampaign(db, community.id, {
      title: "Vélo-rue <Jeanne d'Arc>",
      steps: ["Signer"],
      startsAt: new Date("2025-03-01T00:00:00Z"),
      endsAt: new Date("2025-04-01T00:00:00Z"),
    }),
  );
  let n = 0;
  const store = (
    author: string,
    text: string,
    at: Date,
    campaignId: string | null = campaign.id,
    language: string | null = "fr",
  ) =>
    storeInboundNote(
      db,
      {
        iri: `https://peer.example/notes/${++n}`,
        communityId: community.id,
        campaignId,
        inReplyTo: null,
        authorIri: `https://peer.example/users/${author}`,
        contentHtml: `<p>${text}</p>`,
        language,
        published: at,
      },
      scorer,
      at,
    ); // received when published: the notes of a past campaign

  for (let i = 0; i < 6; i++) await store("p1", i < 3 ? "anger fear" : "anger", day(`2025-03-0${3 + (i % 4)}`, 8 + i));
  const moods = ["joy", "admiration", "neutral", "joy gratitude", "annoyance", "neutral"];
  for (let i = 2; i <= 14; i++) await store(`p${i}`, moods[i % moods.length], day("2025-03-05", i));
  // Languages vary so that the per-language rates and their mix are exercised on every path.
  for (let i = 1; i <= 5; i++) await store(`q${i}`, "fear nervousness", day("2025-03-12"), campaign.id, "fr-CA");
  for (let i = 1; i <= 12; i++)
    await store(`r${i}`, i % 3 ? "joy" : "sadness", day("2025-03-18"), campaign.id, i % 2 ? "en" : "EN-gb");
  for (let i = 1; i <= 13; i++)
    await store(`m${i}`, i % 2 ? "curiosity" : "approval", day("2025-02-20"), null, i % 3 ? null : "de");
  await store("blank", "", day("2025-03-06"));

  // Re-scoring edits and a deletion, by their authors (a stranger's deletion changes nothing).
  await updateInboundNote(
    db,
    "https://peer.example/notes/7",
    "https://peer.example/users/p2",
    { contentHtml: "<p>anger disgust</p>", language: "en", updated: day("2025-03-08") },
    scorer,
  );
  await updateInboundNote(
    db,
    "https://peer.example/notes/1",
    "https://peer.example/users/p1",
    { contentHtml: "<p>relief</p>", language: "fr", updated: day("2025-03-08") },
    scorer,
  );
  await deleteInboundNote(db, "https://peer.example/notes/2", "https://peer.example/users/p1");
  await deleteInboundNote(db, "https://peer.example/notes/3", "https://peer.example/users/intruder");
  return { community, campaign };
}

/** The raw scored rows of a scope, as stored: what a recomputation starts from. */
export async function readScoredRows(
  db: Db,
  scope: { communityId: string; campaignId?: string },
): Promise<ScoredRow[]> {
  const { labels, version } = model();
  const rows = await query<{
    id: string;
    author_iri: string;
    campaign_id: string | null;
    community_id: string;
    published: string | Date;
    scores: number[];
    language: string | null;
  }>(
    db,
    sql`
    select id::text as id, author_iri, campaign_id::text as campaign_id, community_id::text as community_id, published, emotion_scores as scores, language
    from inbound_notes
    where community_id = ${scope.communityId} and emotion_model = ${version} and emotion_scores is not null
      ${scope.campaignId ? sql`and campaign_id = ${scope.campaignId}` : sql``}`,
  );
  return rows.map((r) => ({
    noteId: r.id,
    authorId: r.author_iri,
    campaignId: r.campaign_id,
    communityId: r.community_id,
    publishedAt: new Date(r.published),
    scores: Object.fromEntries(labels.map((l, i) => [l, Number(r.scores[i])])),
    language: r.language,
  }));
}
