// Weak signals: a week whose share of anger or fear (or of joy, "positive momentum" — the Ekman
// joy group, which includes admiration) rises significantly above the previous weeks.
//
// Test: one-sided two-proportion z-test of the week against the pooled previous 4 published
// weeks, on the by-person classify-and-count share, with each side's size replaced by its
// design-effect-adjusted effective size (Rao–Scott style) and any privacy-noise variance added.
//  - By person, so a single prolific author cannot create a spike.
//  - On CC rather than ACC/PACC: with the same dev rates every week, the adjusted share is an
//    increasing affine map of E[CC], so "no rise in prevalence" ⇔ "no rise in E[CC]", and CC
//    avoids adding the (shared) dev-rate uncertainty to both sides.
//  - Suppressed weeks are neither tested nor used as baseline (a baseline including them, minus
//    the published weeks, would reveal them).
//  - Benjamini–Hochberg over all weeks × signals tested in the report (FDR 5%): many weeks and
//    three signals would otherwise flag something almost every quarter by chance.

import type { ShareSample } from "./estimators";
import type { Target } from "../model/model-info";
import { clip01, normalUpperTail } from "./stats";
import { weeksBefore } from "../rollups/windows";

export const WEAK_SIGNAL_TARGETS = {
  anger: { kind: "group", name: "anger" },
  fear: { kind: "group", name: "fear" },
  "positive-momentum": { kind: "group", name: "joy" },
} as const satisfies Record<string, Target>;

export type SignalName = keyof typeof WEAK_SIGNAL_TARGETS;

export const BASELINE_WEEKS = 4;
/** Fewer published baseline weeks than this: the week is not tested. */
export const MIN_BASELINE_WEEKS = 2;
export const FDR = 0.05;

export const WEAK_SIGNAL_TEST = `one-sided two-proportion z-test (design-effect adjusted), by-person CC share, week vs pooled previous ${BASELINE_WEEKS} published weeks; Benjamini–Hochberg FDR ${FDR} over weeks × signals`;

/** One week's by-person CC sample for a signal; null when the week is suppressed. */
export interface WeekShare {
  week: string;
  sample: ShareSample | null;
}

export interface WeakSignal {
  week: string;
  signal: SignalName;
  share: number;
  baseline: number;
  /** One-sided p-value of this test alone. */
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value; flagged when ≤ FDR. */
  adjustedPValue: number;
  test: string;
}

interface Tested {
  week: string;
  signal: SignalName;
  share: number;
  baseline: number;
  pValue: number;
}

function testWeek(week: ShareSample, baseline: readonly ShareSample[]): { baseline: number; pValue: number } {
  // Pooled baseline weighted by authors (author-weeks), with its effective size derived from
  // Var(Σ w·c / Σ w) = σ²·Σ (w²/n_eff) / (Σ w)².
  const w = baseline.reduce((s, b) => s + b.units, 0);
  const base = baseline.reduce((s, b) => s + b.units * clip01(b.mean), 0) / w;
  const nBase = (w * w) / baseline.reduce((s, b) => s + (b.units * b.units) / b.effectiveSize, 0);
  const noiseBase = baseline.reduce((s, b) => s + b.units * b.units * b.noiseVariance, 0) / (w * w);
  const share = clip01(week.mean);
  const pooled = (share * week.effectiveSize + base * nBase) / (week.effectiveSize + nBase);
  const variance = pooled * (1 - pooled) * (1 / week.effectiveSize + 1 / nBase) + week.noiseVariance + noiseBase;
  const pValue = variance > 0 ? normalUpperTail((share - base) / Math.sqrt(variance)) : 1;
  return { baseline: base, pValue };
}

/** BH step-up adjusted p-values, in input order. */
function benjaminiHochberg(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(pValues.length);
  let running = 1;
  for (let r = order.length - 1; r >= 0; r--) {
    running = Math.min(running, (order[r].p * order.length) / (r + 1));
    adjusted[order[r].i] = running;
  }
  return adjusted;
}

/** Flagged weeks × signals, ordered by week then signal. */
export function detectWeakSignals(series: Readonly<Record<SignalName, readonly WeekShare[]>>): WeakSignal[] {
  const tested: Tested[] = [];
  for (const signal of Object.keys(WEAK_SIGNAL_TARGETS) as SignalName[]) {
    const byWeek = new Map(series[signal].map((w) => [w.week, w.sample]));
    for (const { week, sample } of series[signal]) {
      if (!sample) continue;
      const baseline = weeksBefore(week, BASELINE_WEEKS)
        .map((key) => byWeek.get(key))
        .filter((s): s is ShareSample => s != null);
      if (baseline.length < MIN_BASELINE_WEEKS) continue;
      tested.push({ week, signal, share: clip01(sample.mean), ...testWeek(sample, baseline) });
    }
  }
  const adjusted = benjaminiHochberg(tested.map((t) => t.pValue));
  return tested
    .map((t, i) => ({ ...t, adjustedPValue: adjusted[i], test: WEAK_SIGNAL_TEST }))
    .filter((t) => t.adjustedPValue <= FDR)
    .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.signal < b.signal ? -1 : 1));
}
