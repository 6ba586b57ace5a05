// Per-language recalibration of a group's probability, applied to each note before it is rolled up.
//
// Why: the model's probabilities are calibrated on English Reddit comments. On French social posts
// they are not: it gives neutral 0.39 on average where annotators saw 15%, anger 0.13 where they
// saw 39%. The mean probability (PCC, PACC's input) then starts far from the truth, and where the
// model cannot tell a group apart in French (tpr − fpr < MIN_DISCRIMINATION) the report falls back
// to that mean. A monotone map fitted per group on labelled French posts (Platt scaling of the
// group score, cross-fitted: scripts/report/calibrate.ts) makes the mean probability of French
// notes mean what it says on such posts. The decision ("over the threshold") stays on the raw
// score, so ACC's rates and the per-note labels are unchanged.
//
// The map ships as a piecewise-linear curve through knots of the Platt curve, not as its two
// parameters: linear interpolation uses only +, −, ×, ÷, which JavaScript and PostgreSQL's float8
// compute identically, so the SQL rebuild (rollup-rebuild.ts) gives the same micros as the write
// path; exp and ln come from different maths libraries and could differ in the last bit.

import { createHash } from "node:crypto";

/** Knots (raw group scores, increasing, first 0 and last 1) and the calibrated probability at each. */
export interface RecalibrationMap {
  knots: readonly number[];
  values: readonly number[];
}

/** Per group (Ekman group name) the map for one language's notes. */
export type GroupRecalibration = Readonly<Record<string, RecalibrationMap>>;

/** The segment j with knots[j] ≤ p < knots[j + 1] (the last segment for p = 1), as SQL's width_bucket finds it. */
function segmentOf(knots: readonly number[], p: number): number {
  let lo = 0;
  let hi = knots.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (knots[mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The calibrated probability of raw score p (a float8), by linear interpolation between knots. */
export function recalibrated(map: RecalibrationMap, p: number): number {
  const { knots: x, values: y } = map;
  const j = segmentOf(x, p);
  return y[j] + (p - x[j]) * ((y[j + 1] - y[j]) / (x[j + 1] - x[j]));
}

/**
 * The same computation in SQL on the float8 expression `p`: width_bucket counts the knots ≤ p
 * (1-based), capped so that p = 1 falls in the last segment; the operations and their order are
 * those of recalibrated().
 */
export function recalibratedSql(map: RecalibrationMap, p: string): string {
  const arr = (xs: readonly number[]) => `array[${xs.map((v) => `${String(v)}::float8`).join(",")}]`;
  const j = `least(width_bucket(${p}, ${arr(map.knots)}), ${map.knots.length - 1})`;
  return `(select y[j] + (${p} - x[j]) * ((y[j + 1] - y[j]) / (x[j + 1] - x[j])) from (select ${arr(map.knots)} as x, ${arr(map.values)} as y, ${j} as j) as k)`;
}

/**
 * A fingerprint of how notes are turned into rollup entries beyond the model version (the maps,
 * per language): rollups written under other maps must be rebuilt, as after a model change.
 */
export function recalibrationFingerprint(maps: Readonly<Record<string, GroupRecalibration>> | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify(maps ?? {}))
    .digest("hex")
    .slice(0, 16);
}
