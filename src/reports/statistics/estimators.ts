// src/reports/statistics/: a report's arithmetic, no database: exact sums, prevalence estimators, language mix, weak signals.
// Prevalence estimators for one target (label or group) over a set of units.
//
// Why not just count: classify-and-count (CC) is biased whenever the target population's
// prevalence differs from the training one (domain shift: anger is ~4% on Reddit, ~41% in
// French crisis tweets), because E[CC] = fpr + (tpr − fpr)·π. Two corrections:
//  - ACC, adjusted classify and count (Forman 2008, "Quantifying counts and costs via
//    classification"): π = (CC − fpr)/(tpr − fpr), with tpr/fpr measured on the dev split.
//  - PACC, probabilistic ACC (Bella et al. 2010, "Quantification via probability estimators"):
//    the same correction applied to the mean predicted probability, using the mean probability
//    among dev positives/negatives; it uses the whole score, not just the side of the threshold.
// Both are clipped to [0, 1].
//
// Interval (95%): delta method, deterministic and computable from rollups alone.
//  - Sampling error of the target sample: Agresti–Coull on an *effective* sample size
//    n_eff = c(1−c)/Var̂(c), where Var̂(c) is design-based (author-clustered, see the two views
//    below). Agresti–Coull keeps a non-zero width when c is 0 or 1, where a Wald interval collapses.
//  - Error of the dev-measured rates: tpr ~ Binomial(support)/support and fpr ~ Binomial(negatives)/
//    negatives; for PACC the dev variances of the probabilities are not shipped, so we use the
//    Bhatia–Davis bound Var ≤ μ(1−μ) for a [0,1] variable with mean μ (conservative).
//    With per-language rates (models/emotion-calibration.json) each rate carries its own sampling
//    variance and the model's uncertainty: how much the rate moves between sources (English dev
//    and test; French social posts and machine-translated French). A rate measured on one source
//    is only an estimate of the rate on a community's posts, and that error does not shrink with
//    the number of notes, so it is added to the variance, not averaged away.
//  - For π = (c − f)/(t − f): Var π ≈ [Var c + π²·Var t + (1 − π)²·Var f] / (t − f)².
//  The interval is the affine image of the Agresti–Coull centre ± the delta-method half-width,
//  then clipped; it always contains the point estimate.
//  With per-language rates the interval is Fieller's instead (see fieller() below): the delta
//  method linearises 1/(t − f), which fails exactly where the model's uncertainty matters most
//  (t − f small or uncertain, as for French posts).
// A seeded bootstrap would handle skew better but would need the dev predictions, which are
// not shipped with the model, and would make SQL-side reproduction much harder.

import type { ErrorRates, RateVariance } from "../model/model-info";
import { clip01, Z95 } from "./stats";
import { SHARE_SCALE, UNIT, type TargetCell } from "./sums";

/** "over": share of notes over threshold (CC/ACC); "prob": mean probability (PACC). */
export type Statistic = "over" | "prob";

/** A share measured on a sample, with what is needed for its sampling error. */
export interface ShareSample {
  /** Observed share (may fall outside [0, 1] after Laplace noise). */
  mean: number;
  /** Number of independent units behind it (authors). */
  units: number;
  /** Bernoulli-equivalent sample size, c(1−c)/Var(c), in [1, number of observations]. */
  effectiveSize: number;
  /** Extra variance added by the privacy layer (2b² for Laplace scale b), 0 without noise. */
  noiseVariance: number;
}

export type EstimatorMethod = "cc" | "acc" | "pacc" | "cc-fallback" | "pcc-fallback";

export interface Estimate {
  estimate: number;
  low: number;
  high: number;
  /**
   * "cc-fallback" / "pcc-fallback": the adjustment was not identifiable (see MIN_DISCRIMINATION), so
   * the unadjusted share is reported: CC for ACC, the mean probability (PCC, Bella et al. 2010) for PACC.
   */
  method: EstimatorMethod;
}

/**
 * Below this tpr − fpr (or meanProbPos − meanProbNeg) the correction multiplies the CC error by
 * more than 10 and is dominated by dev noise (Forman 2008); we then report the unadjusted share.
 */
export const MIN_DISCRIMINATION = 0.1;

function effectiveSize(mean: number, variance: number, units: number, observations: number): number {
  const bernoulli = mean * (1 - mean);
  // With no measurable variance (all units equal, or a single unit) fall back to one
  // observation per independent unit: notes of the same author are not independent.
  const n = bernoulli > 0 && variance > 0 ? bernoulli / variance : units;
  return Math.min(observations, Math.max(1, n));
}

function assertNonEmpty(cell: TargetCell): void {
  if (cell.authors === 0) throw new Error("cannot estimate a share over zero units");
}

/**
 * By message: share of all notes, R = Σy/Σn. Notes from one author are correlated (one author with
 * ten angry notes), so the variance is the author-clustered ratio-estimator (linearisation)
 * variance m/(m−1)·Σ(y_a − R·n_a)²/N², not the binomial one. Expanded over the sufficient
 * statistics, N²·Σ(y_a − R·n_a)² = N²·Σy² − 2·N·Y·Σyn + Y²·Σn², computed exactly in integers.
 */
export function sampleByMessage(cell: TargetCell, stat: Statistic): ShareSample {
  assertNonEmpty(cell);
  const m = cell.authors;
  const s = cell[stat];
  const unit = Number(UNIT[stat]);
  const N = cell.notes;
  const ratio = Number(s.sum) / unit / Number(N);
  const scaled = N * N * s.sq - 2n * N * s.sum * s.xNotes + s.sum * s.sum * cell.notesSq;
  const variance = m > 1 ? (m / (m - 1)) * (Number(scaled) / (Number(N) ** 4 * unit * unit)) : Number.NaN;
  return { mean: ratio, units: m, effectiveSize: effectiveSize(ratio, variance, m, Number(N)), noiseVariance: 0 };
}

/**
 * By person: each author's value is their own share (or mean probability), so each author weighs
 * once; variance of the mean (m·Σq² − (Σq)²)/(m²(m−1)) in fixed point, exact in integers.
 */
export function sampleByPerson(cell: TargetCell, stat: Statistic): ShareSample {
  assertNonEmpty(cell);
  const m = cell.authors;
  const s = cell[stat];
  const scale = Number(SHARE_SCALE);
  const mean = Number(s.share) / scale / m;
  const scaled = BigInt(m) * s.shareSq - s.share * s.share;
  const variance = m > 1 ? Number(scaled) / (scale * scale) / (m * m * (m - 1)) : Number.NaN;
  return { mean, units: m, effectiveSize: effectiveSize(mean, variance, m, m), noiseVariance: 0 };
}

/** Agresti–Coull centre and variance of the observed share, plus any privacy noise. */
function agrestiCoull(s: ShareSample): { centre: number; variance: number } {
  const n = s.effectiveSize + Z95 * Z95;
  const centre = (clip01(s.mean) * s.effectiveSize + (Z95 * Z95) / 2) / n;
  return { centre, variance: (centre * (1 - centre)) / n + s.noiseVariance };
}

export function classifyAndCount(s: ShareSample): Estimate {
  const { centre, variance } = agrestiCoull(s);
  const half = Z95 * Math.sqrt(variance);
  return { estimate: clip01(s.mean), low: clip01(centre - half), high: clip01(centre + half), method: "cc" };
}

const fallback = (s: ShareSample, method: "acc" | "pacc"): Estimate => ({
  ...classifyAndCount(s),
  method: method === "acc" ? "cc-fallback" : "pcc-fallback",
});

type Rate = { value: number; variance: number };

/** Resolution of the Fieller interval's search over π ∈ [0, 1], before its ends are refined by bisection. */
const FIELLER_STEPS = 200;

/**
 * Fieller's interval for the ratio π = (c − f)/(t − f) (Fieller 1954), for rates that carry the
 * model's own uncertainty: every π in [0, 1] for which c − (1−π)·f − π·t = 0 is not rejected at 5%,
 * i.e. (a − π·d)² ≤ z²·(Var c + (1−π)²·Var f + π²·Var t) with a = c − f, d = t − f. Unlike the
 * delta method it stays honest when t − f is small or uncertain: where the model may not tell the
 * target apart at all (t − f not clearly above 0), the set reaches 0 or 1 rather than pretending.
 * The set is searched on a grid of [0, 1] (it is an interval, or a union of rays clipped to one).
 */
function fieller(centre: number, varC: number, pos: Rate, neg: Rate, estimate: number): { low: number; high: number } {
  const a = centre - neg.value;
  const d = pos.value - neg.value;
  const z2 = Z95 * Z95;
  const inside = (p: number) => (a - p * d) ** 2 <= z2 * (varC + (1 - p) ** 2 * neg.variance + p * p * pos.variance);
  /** The boundary between an accepted and a rejected π, to 1e-9. */
  const edge = (accepted: number, rejected: number) => {
    for (let i = 0; i < 30; i++) {
      const mid = (accepted + rejected) / 2;
      if (inside(mid)) accepted = mid;
      else rejected = mid;
    }
    return accepted;
  };
  let first = -1;
  let last = -1;
  for (let i = 0; i <= FIELLER_STEPS; i++) {
    if (!inside(i / FIELLER_STEPS)) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) {
    // No π in [0, 1] fits at 5% (the share lies beyond what any prevalence would give with these
    // rates): the interval runs from the best-fitting π to the published point, never collapses.
    const misfit = (p: number) => (a - p * d) ** 2 / (varC + (1 - p) ** 2 * neg.variance + p * p * pos.variance);
    let best = 0;
    for (let i = 1; i <= FIELLER_STEPS; i++) if (misfit(i / FIELLER_STEPS) < misfit(best / FIELLER_STEPS)) best = i;
    return { low: Math.min(best / FIELLER_STEPS, estimate), high: Math.max(best / FIELLER_STEPS, estimate) };
  }
  const low = first === 0 ? 0 : edge(first / FIELLER_STEPS, (first - 1) / FIELLER_STEPS);
  const high = last === FIELLER_STEPS ? 1 : edge(last / FIELLER_STEPS, (last + 1) / FIELLER_STEPS);
  return { low: Math.min(low, estimate), high: Math.max(high, estimate) };
}

/**
 * With the model's own uncertainty: the adjusted share when the model tells the target apart
 * (t − f ≥ MIN_DISCRIMINATION), else the unadjusted one (it cannot be corrected); either way
 * inside Fieller's interval, which then says how little is known.
 */
function adjustWithModelError(s: ShareSample, pos: Rate, neg: Rate, method: "acc" | "pacc"): Estimate {
  const d = pos.value - neg.value;
  const { centre, variance } = agrestiCoull(s);
  const identified = d >= MIN_DISCRIMINATION;
  const point = identified ? clip01((clip01(s.mean) - neg.value) / d) : clip01(s.mean);
  const { low, high } = fieller(centre, variance, pos, neg, point);
  return {
    estimate: point,
    low,
    high,
    method: identified ? method : method === "acc" ? "cc-fallback" : "pcc-fallback",
  };
}

function adjust(s: ShareSample, pos: Rate, neg: Rate, method: "acc" | "pacc"): Estimate {
  const d = pos.value - neg.value;
  if (!(d >= MIN_DISCRIMINATION)) return fallback(s, method);
  const { centre, variance } = agrestiCoull(s);
  const estimate = clip01((clip01(s.mean) - neg.value) / d);
  const v = (variance + estimate ** 2 * pos.variance + (1 - estimate) ** 2 * neg.variance) / (d * d);
  const mid = (centre - neg.value) / d;
  const half = Z95 * Math.sqrt(v);
  return { estimate, low: clip01(mid - half), high: clip01(mid + half), method };
}

function devCounts(rates: ErrorRates, devSize: number): { positives: number; negatives: number } | null {
  const positives = rates.support;
  const negatives = devSize - rates.support;
  return positives >= 1 && negatives >= 1 ? { positives, negatives } : null;
}

/**
 * A measured rate with its variance: sampling (the finite labelled set) plus the model's own
 * uncertainty (how much the rate moves between sources), for rates that carry both.
 */
const measured = (rates: ErrorRates, key: keyof RateVariance) => ({
  value: rates[key],
  variance: rates.variance!.sampling[key] + rates.variance!.model[key],
});

/** ACC (Forman 2008) on a sample of the "over" statistic. */
export function adjustedClassifyAndCount(s: ShareSample, rates: ErrorRates, devSize: number): Estimate {
  if (rates.variance) {
    return adjustWithModelError(s, measured(rates, "tpr"), measured(rates, "fpr"), "acc");
  }
  const dev = devCounts(rates, devSize);
  if (!dev) return fallback(s, "acc");
  return adjust(
    s,
    { value: rates.tpr, variance: (rates.tpr * (1 - rates.tpr)) / dev.positives },
    { value: rates.fpr, variance: (rates.fpr * (1 - rates.fpr)) / dev.negatives },
    "acc",
  );
}

/** PACC (Bella et al. 2010) on a sample of the "prob" statistic. */
export function probabilisticAdjustedClassifyAndCount(s: ShareSample, rates: ErrorRates, devSize: number): Estimate {
  if (rates.variance) {
    return adjustWithModelError(s, measured(rates, "meanProbPos"), measured(rates, "meanProbNeg"), "pacc");
  }
  const dev = devCounts(rates, devSize);
  if (!dev) return fallback(s, "pacc");
  const { meanProbPos: p, meanProbNeg: q } = rates;
  return adjust(
    s,
    { value: p, variance: (p * (1 - p)) / dev.positives },
    { value: q, variance: (q * (1 - q)) / dev.negatives },
    "pacc",
  );
}
