// Per-language recalibration: a French note's group probabilities are mapped (Platt scaling
// fitted on French posts, cross-fitted) before they are rolled up; English and untagged notes keep
// the model's own. The SQL rebuild computes the very same map, bit for bit, on both databases.

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database";
import { reportFromRows, type PublishedWindow } from "../../src/reports/publication/aggregate";
import { query } from "../../src/reports/rollups/db";
import { probMicrosOf, scoreNote } from "../../src/reports/model/model-info";
import { shippedModel } from "../../src/reports/model/shipped-model";
import { recalibrated, recalibratedSql } from "../../src/reports/model/recalibration";
import type { ScoredRow } from "../../src/reports/rollups/rollup-in-memory";
import { mulberry32 } from "../../src/random";
import { databaseKinds, openTestDatabase } from "../helpers/databases";

const model = shippedModel()!.info;
const maps = model.languages!.recalibration!;
const FRENCH_GROUPS = ["anger", "disgust", "fear", "sadness", "surprise", "neutral"];

/** Scores of a note the model reads as plainly neutral (0.7), with a little anger. */
const neutralScores = Object.fromEntries(
  model.labels.map((l) => [l, l === "neutral" ? 0.7 : l === "anger" ? 0.05 : 0.01]),
);

describe("French recalibration maps", () => {
  it("are shipped for the groups measured on French posts, and for French only", () => {
    expect(Object.keys(maps)).toEqual(["fr"]);
    expect(Object.keys(maps.fr!).sort()).toEqual([...FRENCH_GROUPS].sort());
    for (const g of FRENCH_GROUPS) {
      const { knots, values } = maps.fr![g];
      expect(knots[0]).toBe(0);
      expect(knots.at(-1)).toBe(1);
      for (let i = 1; i < knots.length; i++) expect(knots[i]).toBeGreaterThan(knots[i - 1]);
      for (const v of values) expect(v > 0 && v < 1).toBe(true);
    }
  });

  it("map a French note's group probabilities, leave English and untagged notes and every decision alone", () => {
    const of = (lang: string | null) => scoreNote(neutralScores, model, lang).filter((t) => t.kind === "group");
    const [fr, frCa, en, untagged] = [of("fr"), of("fr-CA"), of("en"), of(null)];
    expect(frCa).toEqual(fr);
    expect(untagged).toEqual(en);
    const neutral = (ts: typeof fr) => ts.find((t) => t.name === "neutral")!;
    expect(neutral(en).probMicros).toBe(probMicrosOf(Math.fround(0.7)));
    expect(neutral(fr).probMicros).toBe(probMicrosOf(recalibrated(maps.fr!.neutral, Math.fround(0.7))));
    // On French posts a neutral 0.7 from the model is far from a 70% chance of a neutral post.
    expect(neutral(fr).probMicros).toBeLessThan(0.3e6);
    // The decisions (over the model's threshold) stay those the French tpr and fpr were measured at.
    expect(fr.map((t) => t.over)).toEqual(en.map((t) => t.over));
    // Joy has no French map (the French posts have no joy column): the model's probability.
    expect(fr.find((t) => t.name === "joy")).toEqual(en.find((t) => t.name === "joy"));
  });

  it("move a French window's published share, not an English one's", () => {
    const rows = (language: string): ScoredRow[] =>
      Array.from({ length: 60 }, (_, i) => ({
        noteId: `n${i}`,
        authorId: `a${i % 30}`,
        campaignId: "c",
        communityId: "x",
        publishedAt: new Date("2026-01-05T10:00:00Z"),
        scores: neutralScores,
        language,
      }));
    const neutralShare = (language: string) => {
      const r = reportFromRows(rows(language), model, {
        window: "campaign",
        estimator: "pacc",
        generatedAt: new Date(0),
        title: "t",
      });
      const view = (r.windows[0] as PublishedWindow).groups.neutral.byMessage;
      if ("suppressed" in view) throw new Error("withheld");
      return view.adjusted;
    };
    const fr = neutralShare("fr");
    const en = neutralShare("en");
    // English: the model tells neutral apart, PACC corrects the mean 0.7 to a high share.
    expect(en.estimate).toBeGreaterThan(0.6);
    // French: it barely does (tpr − fpr < 0.1), so the share is the recalibrated mean, not 0.7.
    expect(fr.method).toBe("pcc-fallback");
    expect(fr.estimate).toBeCloseTo(recalibrated(maps.fr!.neutral, Math.fround(0.7)), 5);
    expect(fr.low).toBeLessThanOrEqual(fr.estimate);
    expect(fr.high).toBeGreaterThanOrEqual(fr.estimate);
  });
});

describe.each(databaseKinds)("the SQL map on %s", (kind) => {
  let database: Database;
  let drop = async () => {};
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it("gives the same float8 as the write path for every score, knots and ends included", async () => {
    const random = mulberry32(16);
    for (const g of FRENCH_GROUPS) {
      const map = maps.fr![g];
      const ps = [
        0,
        1,
        ...map.knots,
        ...Array.from({ length: 300 }, () => Math.fround(random() ** 3)),
        ...Array.from({ length: 100 }, () => Math.fround(random())),
      ];
      const rows = await query<{ i: number; v: number }>(
        database.db,
        sql.raw(
          `select i::int as i, ${recalibratedSql(map, "p")} as v from unnest(array[${ps.map((p) => `${String(p)}::float8`).join(",")}]) with ordinality as t(p, i)`,
        ),
      );
      const got = rows.sort((a, b) => a.i - b.i).map((r) => Number(r.v));
      expect(got, g).toEqual(ps.map((p) => recalibrated(map, p)));
    }
  });
});
