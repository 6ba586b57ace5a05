import { EKMAN_GROUPS, GOEMOTIONS_LABELS, type ErrorRates, type ModelInfo } from "../../src/reports/model/model-info";
import type { ScoredRow } from "../../src/reports/rollups/rollup-in-memory";

const rates = (over: Partial<ErrorRates> = {}): ErrorRates => ({
  threshold: 0.5,
  tpr: 0.7,
  fpr: 0.05,
  precision: 0.6,
  f1: 0.6,
  support: 50,
  meanProbPos: 0.6,
  meanProbNeg: 0.1,
  ...over,
});

/** Every threshold 0.5; anger group: tpr 0.8, fpr 0.1, meanProbPos 0.7, meanProbNeg 0.1, 100 positives of 1000. */
export const model: ModelInfo = {
  version: "goemotions-test-1",
  labels: GOEMOTIONS_LABELS,
  groups: EKMAN_GROUPS,
  labelRates: Object.fromEntries(GOEMOTIONS_LABELS.map((l) => [l, rates()])),
  groupRates: {
    ...Object.fromEntries(Object.keys(EKMAN_GROUPS).map((g) => [g, rates()])),
    anger: rates({ tpr: 0.8, fpr: 0.1, support: 100, meanProbPos: 0.7, meanProbNeg: 0.1 }),
  },
  devSize: 1000,
};

let counter = 0;
/** A note whose labels are all 0.02 except the given ones. */
export function note(authorId: string, day: string, scores: Record<string, number> = { neutral: 0.9 }): ScoredRow {
  return {
    noteId: `n${++counter}`,
    authorId,
    campaignId: null,
    communityId: "c1",
    publishedAt: new Date(`${day}T12:00:00Z`),
    scores: { ...Object.fromEntries(GOEMOTIONS_LABELS.map((l) => [l, 0.02])), ...scores },
  };
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/**
 * Three weeks:
 *  - week of 2025-03-03: 12 authors, 21 notes. a1 wrote ten angry notes (anger 0.9), a2 one
 *    (anger 0.8), a3…a12 one neutral note each.
 *  - week of 2025-03-10: 5 authors (b1…b5), one angry note each → primary suppression.
 *  - week of 2025-03-17: 11 authors (c1…c11), one joyful note each → complementary suppression
 *    (otherwise total − week 1 would reveal week 2).
 */
export function threeWeeks(): ScoredRow[] {
  return [
    ...Array.from({ length: 10 }, (_, i) => note("a1", `2025-03-0${3 + (i % 5)}`, { anger: 0.9 })),
    note("a2", "2025-03-04", { anger: 0.8 }),
    ...range("a", 12)
      .slice(2)
      .map((a) => note(a, "2025-03-05")),
    ...range("b", 5).map((b) => note(b, "2025-03-11", { anger: 0.95 })),
    ...range("c", 11).map((c) => note(c, "2025-03-18", { joy: 0.8 })),
  ];
}

/**
 * Weekly series from 2025-01-06: every week `authors` authors with one note each, of which
 * `angry[i]` are angry (anger 0.9) and the rest neutral.
 */
export function weeklySeries(angry: readonly number[], authors = 40): ScoredRow[] {
  const start = Date.parse("2025-01-06T00:00:00Z");
  return angry.flatMap((nAngry, w) => {
    const day = new Date(start + w * 7 * 86_400_000).toISOString().slice(0, 10);
    return range(`w${w}-u`, authors).map((a, i) => note(a, day, i < nAngry ? { anger: 0.9 } : { neutral: 0.9 }));
  });
}

export const baseOptions = {
  estimator: "acc" as const,
  generatedAt: new Date("2025-04-01T00:00:00Z"),
  title: "Test community",
};
