import { describe, expect, it } from "vitest";
import { reportFromRows } from "../../src/reports/publication/aggregate";
import type { ShareSample } from "../../src/reports/statistics/estimators";
import { isSuppressed } from "../../src/reports/publication/privacy";
import { detectWeakSignals, WEAK_SIGNAL_TEST, type WeekShare } from "../../src/reports/statistics/weak-signals";
import { baseOptions, model, note, weeklySeries } from "./fixtures";

const weeklyReport = (rows: ReturnType<typeof weeklySeries>) =>
  reportFromRows(rows, model, { ...baseOptions, window: "week" });
const s = (mean: number, n: number): ShareSample => ({ mean, units: n, effectiveSize: n, noiseVariance: 0 });
const quiet = (weeks: string[]): WeekShare[] => weeks.map((week) => ({ week, sample: s(0, 40) }));

describe("weak signals", () => {
  it("z-test against the pooled previous 4 weeks, by hand", () => {
    const weeks = ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03"];
    const anger = [
      ...weeks.slice(0, 4).map((week) => ({ week, sample: s(0.05, 40) })),
      { week: weeks[4], sample: s(0.35, 40) },
    ];
    const flags = detectWeakSignals({ anger, fear: quiet(weeks), "positive-momentum": quiet(weeks) });
    // pooled p = (14 + 8)/200 = 0.11; z = 0.30/√(0.11·0.89·(1/40 + 1/160)) = 5.4238 → p = 2.917e-8.
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ week: "2025-02-03", signal: "anger", share: 0.35, test: WEAK_SIGNAL_TEST });
    expect(flags[0].baseline).toBeCloseTo(0.05, 12);
    expect(flags[0].pValue).toBeCloseTo(2.917007e-8, 12);
    // 3 weeks have ≥ 2 baseline weeks × 3 signals = 9 tests; the others have p = 1 (BH: p·9/1).
    expect(flags[0].adjustedPValue).toBeCloseTo(9 * flags[0].pValue, 15);
    expect(WEAK_SIGNAL_TEST).toMatch(/two-proportion z-test.*Benjamini–Hochberg/);
  });

  it("flags a constructed anger spike in a report", () => {
    const r = weeklyReport(weeklySeries([2, 2, 2, 2, 14]));
    expect(r.weakSignals).toHaveLength(1);
    expect(r.weakSignals![0]).toMatchObject({ week: "2025-02-03", signal: "anger", share: 14 / 40 });
    expect(r.weakSignals![0].baseline).toBeCloseTo(8 / 160, 12);
  });

  it("flags nothing without a spike, or with a spike from one prolific author", () => {
    expect(weeklyReport(weeklySeries([2, 2, 2, 2, 2])).weakSignals).toEqual([]);
    expect(weeklyReport(weeklySeries([2, 3, 1, 2, 4])).weakSignals).toEqual([]);
    const oneLoud = [
      ...weeklySeries([2, 2, 2, 2, 2]),
      ...Array.from({ length: 30 }, () => note("w4-u1", "2025-02-04", { anger: 0.99 })),
    ];
    const r = weeklyReport(oneLoud);
    const last = r.windows[4];
    const byMessage = last.suppressed ? null : last.groups.anger.byMessage;
    if (!byMessage || isSuppressed(byMessage)) throw new Error("unexpected suppression");
    expect(byMessage.cc.estimate).toBeCloseTo(32 / 70, 12); // by message it looks like a spike
    expect(r.weakSignals).toEqual([]);
  });

  it("does not test suppressed weeks", () => {
    // Week 5 has 8 authors, all angry: fewer than k, so neither published nor flagged.
    const rows = [
      ...weeklySeries([2, 2, 2, 2]),
      ...Array.from({ length: 8 }, (_, i) => note(`late${i}`, "2025-02-03", { anger: 0.9 })),
    ];
    const r = weeklyReport(rows);
    expect(r.windows[4].suppressed).toBe(true);
    expect(r.weakSignals).toEqual([]);
  });

  it("is only computed for weekly reports", () => {
    expect(
      reportFromRows(weeklySeries([2, 2, 2, 2, 14]), model, { ...baseOptions, window: "day" }).weakSignals,
    ).toBeNull();
  });
});
