import { describe, expect, it } from "vitest";
import {
  adjustedClassifyAndCount,
  classifyAndCount,
  probabilisticAdjustedClassifyAndCount,
  sampleByMessage,
  sampleByPerson,
  type ShareSample,
} from "../../src/reports/statistics/estimators";
import type { ErrorRates } from "../../src/reports/model/model-info";
import { cellOf, combineCells, contributionOf, EMPTY_CELL } from "../../src/reports/statistics/sums";

const sample = (mean: number, effectiveSize: number, noiseVariance = 0): ShareSample => ({
  mean,
  units: effectiveSize,
  effectiveSize,
  noiseVariance,
});
const rates: ErrorRates = {
  threshold: 0.5,
  tpr: 0.8,
  fpr: 0.1,
  precision: 0.7,
  f1: 0.7,
  support: 100,
  meanProbPos: 0.7,
  meanProbNeg: 0.1,
};

describe("samples", () => {
  // One author with ten notes over threshold, eleven authors with one note under it.
  const list = [
    { notes: 10, over: 10, probMicros: 9_000_000 },
    ...Array.from({ length: 11 }, () => ({ notes: 1, over: 0, probMicros: 20_000 })),
  ];
  const tallies = cellOf(list);

  it("by message: share of notes, with an author-clustered effective size far below the note count", () => {
    const s = sampleByMessage(tallies, "over");
    expect(s.mean).toBeCloseTo(10 / 21, 12);
    expect(s.units).toBe(12);
    // m/(m−1)·Σ(y − R n)²/N² = 0.0740432…, so n_eff = R(1−R)/V = 3.36875 (vs 21 notes).
    expect(s.effectiveSize).toBeCloseTo(3.36875, 5);
    expect(sampleByMessage(tallies, "prob").mean).toBeCloseTo((9 + 11 * 0.02) / 21, 12);
  });

  it("by person: each author weighs once", () => {
    const s = sampleByPerson(tallies, "over");
    expect(s.mean).toBeCloseTo(1 / 12, 12);
    expect(s.effectiveSize).toBeCloseTo(11, 9);
    expect(sampleByPerson(tallies, "prob").mean).toBeCloseTo((0.9 + 11 * 0.02) / 12, 12);
  });

  it("falls back to one observation per author when nothing varies", () => {
    const same = cellOf(Array.from({ length: 4 }, () => ({ notes: 3, over: 0, probMicros: 0 })));
    expect(sampleByMessage(same, "over").effectiveSize).toBe(4);
    expect(() => sampleByPerson(cellOf([]), "over")).toThrow(/zero units/);
  });

  it("sufficient statistics: removing an author's old contribution and adding the new one equals recomputing", () => {
    const before = cellOf(list);
    const changed = { notes: 11, over: 10, probMicros: 9_300_000 };
    const updated = combineCells(combineCells(before, contributionOf(list[0]), -1n), contributionOf(changed));
    expect(updated).toEqual(cellOf([changed, ...list.slice(1)]));
    expect(combineCells(before, before, -1n)).toEqual(EMPTY_CELL);
    // An author's share is kept in fixed point (10⁻⁹): 2/3 rounds half up.
    expect(cellOf([{ notes: 3, over: 2, probMicros: 0 }]).over.share).toBe(666_666_667n);
  });
});

describe("estimators (hand-computed)", () => {
  it("CC: Agresti–Coull interval on the effective size", () => {
    const e = classifyAndCount(sample(0.2, 100));
    expect(e).toMatchObject({ estimate: 0.2, method: "cc" });
    expect(e.low).toBeCloseTo(0.1326077, 6);
    expect(e.high).toBeCloseTo(0.2895884, 6);
  });

  it("CC interval does not collapse at 0", () => {
    const e = classifyAndCount(sample(0, 20));
    expect(e.estimate).toBe(0);
    expect(e.low).toBe(0);
    expect(e.high).toBeGreaterThan(0.1);
  });

  it("ACC (Forman 2008): (cc − fpr)/(tpr − fpr), interval widened by dev-rate error", () => {
    const e = adjustedClassifyAndCount(sample(0.3, 200), rates, 1000);
    expect(e.method).toBe("acc");
    expect(e.estimate).toBeCloseTo((0.3 - 0.1) / 0.7, 12);
    expect(e.low).toBeCloseTo(0.1933339, 6);
    expect(e.high).toBeCloseTo(0.3888634, 6);
  });

  it("ACC is clipped to [0, 1]", () => {
    expect(adjustedClassifyAndCount(sample(0.05, 200), rates, 1000).estimate).toBe(0);
    expect(adjustedClassifyAndCount(sample(0.95, 200), rates, 1000).estimate).toBe(1);
  });

  it("PACC (Bella et al. 2010): (mean p − meanProbNeg)/(meanProbPos − meanProbNeg)", () => {
    const e = probabilisticAdjustedClassifyAndCount(sample(0.3, 200), rates, 1000);
    expect(e.method).toBe("pacc");
    expect(e.estimate).toBeCloseTo(1 / 3, 12);
    expect(e.low).toBeCloseTo(0.2211441, 6);
    expect(e.high).toBeCloseTo(0.4580861, 6);
  });

  it("falls back to the unadjusted share when tpr − fpr < 0.1 or the dev split has no positives", () => {
    const weak = { ...rates, tpr: 0.15, fpr: 0.1, meanProbPos: 0.15 };
    expect(adjustedClassifyAndCount(sample(0.3, 200), weak, 1000)).toEqual({
      ...classifyAndCount(sample(0.3, 200)),
      method: "cc-fallback",
    });
    expect(probabilisticAdjustedClassifyAndCount(sample(0.3, 200), weak, 1000).method).toBe("pcc-fallback");
    expect(adjustedClassifyAndCount(sample(0.3, 200), { ...rates, support: 0 }, 1000).method).toBe("cc-fallback");
  });

  it("noise variance widens the interval", () => {
    const exact = adjustedClassifyAndCount(sample(0.3, 200), rates, 1000);
    const noisy = adjustedClassifyAndCount(sample(0.3, 200, 0.01), rates, 1000);
    expect(noisy.high - noisy.low).toBeGreaterThan(exact.high - exact.low);
  });
});
