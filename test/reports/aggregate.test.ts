import { describe, expect, it } from "vitest";
import {
  reportFromRollups,
  reportFromRows,
  type PublishedWindow,
  type Report,
  type ViewEstimates,
} from "../../src/reports/publication/aggregate";
import { COMPLEMENTARY_REASON, isSuppressed, type Suppressed } from "../../src/reports/publication/privacy";
import { mergeRollups, rollupIncrements, rowsToRollups } from "../../src/reports/rollups/rollup-in-memory";
import { baseOptions, model, note, threeWeeks, weeklySeries } from "./fixtures";

const weekly = (rows = threeWeeks(), extra = {}) =>
  reportFromRows(rows, model, { ...baseOptions, window: "week", ...extra });
const published = (r: Report, key: string) => {
  const w = [...r.windows, ...(r.total ? [r.total] : [])].find((x) => x.key === key);
  if (!w || w.suppressed) throw new Error(`${key} not published`);
  return w;
};
const views = (v: ViewEstimates | Suppressed) => {
  if (isSuppressed(v)) throw new Error("suppressed");
  return v;
};

describe("report from rows", () => {
  it("counts notes and distinct authors per window", () => {
    const r = weekly();
    expect(r.windows.map((w) => w.key)).toEqual(["2025-03-03", "2025-03-10", "2025-03-17"]);
    const w1 = published(r, "2025-03-03");
    expect(w1.notes).toBe(21);
    expect(w1.authors).toBe(12);
    expect(w1.start).toBe("2025-03-03T00:00:00.000Z");
    expect(w1.end).toBe("2025-03-10T00:00:00.000Z");
    const total = published(r, "total");
    expect(total).toMatchObject({
      notes: 37,
      authors: 28,
      start: "2025-03-03T00:00:00.000Z",
      end: "2025-03-24T00:00:00.000Z",
    });
  });

  it("CC by message counts a1's ten notes; by person counts a1 once", () => {
    const anger = published(weekly(), "2025-03-03").groups.anger;
    expect(views(anger.byMessage).cc.estimate).toBeCloseTo(11 / 21, 12);
    expect(anger.byPerson.cc.estimate).toBeCloseTo(2 / 12, 12);
    // The anger *label* agrees here; annoyance nobody expressed.
    const w1 = published(weekly(), "2025-03-03");
    expect(views(w1.labels.anger.byMessage).cc.estimate).toBeCloseTo(11 / 21, 12);
    expect(w1.labels.annoyance.byPerson.cc.estimate).toBe(0);
  });

  it("ACC with the anger group's rates (tpr 0.8, fpr 0.1)", () => {
    const anger = published(weekly(), "2025-03-03").groups.anger;
    expect(views(anger.byMessage).adjusted).toMatchObject({ method: "acc" });
    expect(views(anger.byMessage).adjusted.estimate).toBeCloseTo((11 / 21 - 0.1) / 0.7, 12);
    expect(anger.byPerson.adjusted.estimate).toBeCloseTo((2 / 12 - 0.1) / 0.7, 12);
    for (const e of [views(anger.byMessage).adjusted, anger.byPerson.adjusted]) {
      expect(e.low).toBeLessThanOrEqual(e.estimate);
      expect(e.high).toBeGreaterThanOrEqual(e.estimate);
    }
    // The clustered by-message interval is wider than the by-person one despite 21 notes.
    const m = views(anger.byMessage).cc,
      p = anger.byPerson.cc;
    expect(m.high - m.low).toBeGreaterThan(p.high - p.low);
  });

  it("PACC uses the group probability (max over its labels)", () => {
    const anger = published(weekly(threeWeeks(), { estimator: "pacc" }), "2025-03-03").groups.anger;
    // by message: (10·0.9 + 0.8 + 10·0.02)/21 = 10/21; by person: (0.9 + 0.8 + 10·0.02)/12.
    expect(views(anger.byMessage).adjusted).toMatchObject({ method: "pacc" });
    expect(views(anger.byMessage).adjusted.estimate).toBeCloseTo((10 / 21 - 0.1) / 0.6, 9);
    expect(anger.byPerson.adjusted.estimate).toBeCloseTo((1.9 / 12 - 0.1) / 0.6, 9);
    expect(anger.byPerson.cc.estimate).toBeCloseTo(2 / 12, 12);
  });

  it("suppresses the 5-author week and, complementarily, the smallest other week", () => {
    const r = weekly();
    expect(r.windows[1]).toEqual({
      key: "2025-03-10",
      start: "2025-03-10T00:00:00.000Z",
      end: "2025-03-17T00:00:00.000Z",
      suppressed: true,
      reason: "fewer than 11 distinct authors",
    });
    expect(r.windows[2]).toMatchObject({ suppressed: true, reason: COMPLEMENTARY_REASON });
    expect(r.windows[0].suppressed).toBe(false);
    expect(r.total?.suppressed).toBe(false);
    // Without a total (campaign window) only the primary rule applies — and here the single window passes.
    const campaign = reportFromRows(threeWeeks(), model, { ...baseOptions, window: "campaign" });
    expect(campaign.total).toBeNull();
    expect(campaign.windows).toHaveLength(1);
    expect(published(campaign, "all")).toMatchObject({ notes: 37, authors: 28 });
  });

  it("the total merges each author across windows, and equals the campaign window", () => {
    // u1…u12 post a neutral note in week 1; in week 2 u1 posts two angry notes, u2…u6 one each.
    const authors = Array.from({ length: 12 }, (_, i) => `u${i + 1}`);
    const rows = [
      ...authors.map((a) => note(a, "2025-03-03")),
      note("u1", "2025-03-11", { anger: 0.9 }),
      ...authors.slice(0, 6).map((a) => note(a, "2025-03-12", { anger: 0.9 })),
    ];
    const { key, start, end, ...total } = published(weekly(rows), "total");
    expect(total).toMatchObject({ notes: 19, authors: 12 });
    expect(views(total.groups.anger.byMessage).cc.estimate).toBeCloseTo(7 / 19, 12);
    expect(total.groups.anger.byPerson.cc.estimate).toBeCloseTo((2 / 3 + 5 / 2) / 12, 9); // authors' own shares are summed in fixed point (10⁻⁹, sums.ts)
    const {
      key: k2,
      start: s2,
      end: e2,
      ...all
    } = published(reportFromRows(rows, model, { ...baseOptions, window: "campaign" }), "all");
    expect(all).toEqual(total);
  });

  it("a raised k suppresses more, k < 11 is rejected", () => {
    expect(weekly(threeWeeks(), { k: 13 }).windows.every((w) => w.suppressed)).toBe(true);
    expect(() => weekly(threeWeeks(), { k: 10 })).toThrow(/≥ 11/);
  });

  it("records the metadata passed in, not the clock", () => {
    const r = weekly();
    expect(r).toMatchObject({
      title: "Test community",
      modelVersion: "goemotions-test-1",
      estimator: "acc",
      window: "week",
      k: 11,
      noise: null,
      generatedAt: "2025-04-01T00:00:00.000Z",
    });
    expect(r.groups).toEqual(["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]);
    expect(r.labels).toHaveLength(28);
    expect(Object.keys(published(r, "2025-03-03").labels)).toHaveLength(28);
  });

  it("rejects duplicate notes and out-of-range scores", () => {
    const rows = threeWeeks();
    expect(() => weekly([...rows, rows[0]])).toThrow(/duplicate noteId/);
    expect(() => weekly([note("z", "2025-03-03", { anger: 1.2 })])).toThrow(/\[0, 1\]/);
  });
});

describe("rollups", () => {
  it("incremental rollups (shuffled, in two batches, merged) give the same report as recomputation", () => {
    const rows = threeWeeks();
    const shuffled = [...rows].sort((a, b) =>
      a.noteId.split("").reverse().join("") < b.noteId.split("").reverse().join("") ? -1 : 1,
    );
    const half = Math.floor(shuffled.length / 2);
    const batch = (part: typeof rows) => mergeRollups(part.flatMap((row) => rollupIncrements(row, model, "week")));
    const incremental = mergeRollups([...batch(shuffled.slice(0, half)), ...batch(shuffled.slice(half))]);
    const options = { ...baseOptions, window: "week" as const };
    expect(incremental).toEqual(rowsToRollups(rows, model, "week"));
    expect(reportFromRollups(incremental, model, options)).toEqual(reportFromRows(rows, model, options));
  });

  it("holds integers only: one row per window × author × target", () => {
    const rollups = rowsToRollups(threeWeeks(), model, "week");
    expect(rollups).toHaveLength(28 * 35);
    const a1 = rollups.find((r) => r.authorId === "a1" && r.kind === "group" && r.target === "anger");
    expect(a1).toEqual({
      window: "2025-03-03",
      authorId: "a1",
      kind: "group",
      target: "anger",
      notes: 10,
      over: 10,
      probMicros: 9_000_000,
    });
  });

  it("rejects partial or inconsistent rollups", () => {
    const rollups = rowsToRollups(threeWeeks(), model, "week");
    const options = { ...baseOptions, window: "week" as const };
    expect(() => reportFromRollups(rollups.slice(1), model, options)).toThrow(/every target/);
    expect(() =>
      reportFromRollups([{ ...rollups[0], over: rollups[0].notes + 1 }, ...rollups.slice(1)], model, options),
    ).toThrow(/inconsistent/);
    expect(() => reportFromRollups([...rollups, rollups[0]], model, options)).toThrow(/duplicate rollup/);
  });
});

describe("intervals", () => {
  it("an adjusted share clipped at 0% keeps at least the unadjusted interval's width (no '0.0% (95% CI 0.0%–0.0%)')", () => {
    // 40 authors a week, none angry: classify-and-count is 0, below the model's false-positive rate,
    // so ACC clips to 0; its interval must still say how far from 0 the share may be.
    const r = reportFromRows(weeklySeries([0, 0]), model, { ...baseOptions, window: "week" });
    let checked = 0;
    for (const w of r.windows) {
      if (w.suppressed) continue;
      for (const t of [...Object.values(w.groups), ...Object.values(w.labels)]) {
        for (const v of [t.byMessage, t.byPerson]) {
          if (isSuppressed(v)) continue;
          expect(v.adjusted.high - v.adjusted.low).toBeGreaterThanOrEqual(v.cc.high - v.cc.low - 1e-12);
          expect(v.adjusted.low).toBeLessThanOrEqual(v.adjusted.estimate);
          expect(v.adjusted.high).toBeGreaterThanOrEqual(v.adjusted.estimate);
          checked++;
        }
      }
    }
    const anger = (r.windows[0] as PublishedWindow).groups.anger.byPerson as ViewEstimates;
    expect(anger.adjusted.estimate).toBe(0);
    expect(anger.adjusted.high).toBeGreaterThan(0.05);
    expect(checked).toBeGreaterThan(100);
  });
});
