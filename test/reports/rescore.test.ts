// After a model upgrade, notes scored by the previous model are re-scored by the shipped one,
// and the rollups then count them under the new version exactly once, on both databases.

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundNotes } from "../../drizzle/schema";
import type { Database } from "../../src/db/database";
import { createCommunity } from "../../src/domain/communities";
import { rescoreStaleNotes, storeInboundNote, updateInboundNote } from "../../src/domain/notes";
import { inlineScorer, loadEmotionModel, type NoteScorer } from "../../src/emotion";
import { reportFromRows, reportFromStats } from "../../src/reports/publication/aggregate";
import { shippedModel } from "../../src/reports/model/shipped-model";
import { loadReportInput } from "../../src/reports/publication/read";
import { databaseKinds, openTestDatabase } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { readScoredRows } from "./scenario";

const TEXTS = [
  "Merci beaucoup pour votre aide !",
  "J'ai peur pour la santé de mes enfants",
  "Thank you so much for organising this!",
  "Je suis en colère",
];

describe.each(databaseKinds)("re-scoring after a model upgrade on %s", (kind) => {
  let database: Database;
  let drop = async () => {};

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
  });
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it("re-scores every note of the old version once, counts it under the new one, and leaves unscored notes alone", async () => {
    const { db } = database;
    const model = await loadEmotionModel();
    const info = shippedModel()!.info;
    const score = inlineScorer(model);
    const oldModel: NoteScorer = async (text) =>
      text.trim() ? { scores: model.labels.map(() => 0.5), model: "emotion-v0" } : null;
    const community = await createCommunity(db, { handle: "rescore", name: "Re-score" });
    const published = new Date("2025-03-05T12:00:00Z");
    // 12 authors (above the privacy threshold), the last note without text of its own
    const texts = [...Array.from({ length: 11 }, (_, i) => TEXTS[i % TEXTS.length]), "https://example.org/only-a-link"];
    for (const [i, text] of texts.entries()) {
      await storeInboundNote(
        db,
        {
          iri: `https://peer.example/notes/${i}`,
          communityId: community.id,
          campaignId: null,
          inReplyTo: null,
          authorIri: `https://peer.example/users/u${i}`,
          contentHtml: `<p>${text}</p>`,
          language: "fr",
          published,
        },
        oldModel,
        published,
      );
    }
    expect((await loadReportInput(db, info, community.id, "campaign", 11)).windows).toHaveLength(0);
    // an edit before the upgrade job runs is scored by the new model already
    await updateInboundNote(
      db,
      "https://peer.example/notes/0",
      "https://peer.example/users/u0",
      { contentHtml: "<p>Quelle tristesse.</p>", language: "fr", updated: published },
      score,
    );

    let after: string | null = null;
    let batches = 0;
    do {
      after = await rescoreStaleNotes(db, score, model.version, after, 4);
      batches++;
    } while (after !== null);
    expect(batches).toBe(4); // 11 stale notes in batches of 4, then an empty batch

    const rows = await db
      .select()
      .from(inboundNotes)
      .where(eq(inboundNotes.communityId, community.id))
      .orderBy(inboundNotes.iri);
    const byIri = new Map(rows.map((r) => [r.iri, r]));
    const [fear] = await model.classify([{ text: "J'ai peur pour la santé de mes enfants", lang: "fr" }]);
    const note1 = byIri.get("https://peer.example/notes/1")!;
    expect(note1.emotionModel).toBe(model.version);
    for (const [k, s] of note1.emotionScores!.entries()) expect(s).toBeCloseTo(fear!.scores[model.labels[k]], 6);
    expect(byIri.get("https://peer.example/notes/11")).toMatchObject({ emotionScores: null, emotionModel: null });
    expect(rows.filter((r) => r.emotionModel === model.version)).toHaveLength(11);

    // nothing left: a second run changes nothing, and the rollups equal a recomputation from the rows
    expect(await rescoreStaleNotes(db, score, model.version, null)).toBeNull();
    const options = {
      window: "campaign" as const,
      estimator: "pacc" as const,
      generatedAt: new Date("2025-04-01T00:00:00Z"),
      title: "t",
      k: 11,
    };
    const fromRollups = reportFromStats(await loadReportInput(db, info, community.id, "campaign", 11), info, options);
    expect(fromRollups).toEqual(reportFromRows(await readScoredRows(db, { communityId: community.id }), info, options));
    expect(fromRollups.windows).toMatchObject([{ suppressed: false, notes: 11, authors: 11 }]);
  });
});

describe("the re-scoring job of a worker process", () => {
  let ensemble: TestEnsemble;
  beforeAll(async () => {
    ensemble = await startTestEnsemble("pglite");
  });
  afterAll(async () => ensemble?.stop());

  it("re-scores a note of another model version once scheduled, as a worker does at start", async () => {
    const { db } = ensemble.services;
    const model = await loadEmotionModel();
    const community = await createCommunity(db, { handle: "job", name: "Job" });
    const stale: NoteScorer = async () => ({ scores: model.labels.map(() => 0.5), model: "emotion-v0" });
    const iri = "https://peer.example/notes/job";
    await storeInboundNote(
      db,
      {
        iri,
        communityId: community.id,
        campaignId: null,
        inReplyTo: null,
        authorIri: "https://peer.example/users/a",
        contentHtml: "<p>Merci beaucoup pour votre aide !</p>",
        language: "fr",
        published: new Date(),
      },
      stale,
    );
    await ensemble.services.tasks!.scheduleRescore();
    const note = await waitFor(async () => {
      const [row] = await db.select().from(inboundNotes).where(eq(inboundNotes.iri, iri));
      return row.emotionModel === model.version ? row : undefined;
    });
    const [thanks] = await model.classify([{ text: "Merci beaucoup pour votre aide !", lang: "fr" }]);
    expect(note.emotionScores![model.labels.indexOf("gratitude")]).toBeCloseTo(thanks!.scores.gratitude, 6);
  });
});
