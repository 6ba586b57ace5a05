// Fitting the per-language recalibration maps that src/reports/model/recalibration.ts applies: Platt
// scaling of a group score on labelled posts of that language, drawn as a piecewise-linear curve
// (knots evenly spaced in logit, so the curve is as fine where scores crowd near 0 as near 0.5).

import { plattFit } from "../model/platt";
import { recalibrated } from "../../src/reports";

const logit = (p: number) => Math.log(Math.max(1e-7, p) / Math.max(1e-7, 1 - p));
const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));
const d9 = (x: number) => Number(x.toPrecision(9));

/** Knots at logits −10, −9.5, …, 10, plus 0 and 1 (flat beyond the outer logits). */
const KNOTS = [0, ...Array.from({ length: 41 }, (_, i) => d9(sigmoid(-10 + i / 2))), 1];

export interface FittedMap {
  platt: { a: number; b: number };
  knots: number[];
  values: number[];
}

/** The Platt map of raw group scores → P(group present) on these posts, as knots. */
export function fitRecalibration(scores: readonly number[], gold: readonly boolean[]): FittedMap {
  const { a, b } = plattFit(
    scores.map((s) => logit(s)),
    gold,
  );
  const at = (p: number) => d9(sigmoid(a * logit(p) + b));
  const inner = KNOTS.slice(1, -1).map(at);
  return {
    platt: { a: d9(a), b: d9(b) },
    knots: KNOTS,
    values: [inner[0], ...inner, inner[inner.length - 1]],
  };
}

/** The map applied to raw scores, exactly as the runtime applies it. */
export const applyRecalibration = (map: FittedMap, scores: readonly number[]): number[] =>
  scores.map((s) => recalibrated(map, s));

/**
 * A ridge-penalised logistic map of several model outputs (standardised logits) → P(present), by
 * gradient descent. Only measured (report:calibrate's `tried`), never shipped: with more than one
 * input it is no longer a monotone recalibration of one score but a small classifier of its own.
 */
export function fitLogistic(x: readonly number[][], y: readonly boolean[], l2 = 0.01): (row: number[]) => number {
  const d = x[0].length;
  const mu = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j], 0) / x.length);
  const sd = mu.map((m, j) => Math.sqrt(x.reduce((a, r) => a + (r[j] - m) ** 2, 0) / x.length) || 1);
  const z = (r: number[]) => r.map((v, j) => (v - mu[j]) / sd[j]);
  const zs = x.map(z);
  const w = new Array(d + 1).fill(0);
  const score = (r: number[]) => sigmoid(w[d] + r.reduce((a, v, j) => a + v * w[j], 0));
  for (let it = 0; it < 300; it++) {
    const g = new Array(d + 1).fill(0);
    zs.forEach((r, i) => {
      const e = score(r) - (y[i] ? 1 : 0);
      for (let j = 0; j < d; j++) g[j] += (e * r[j]) / zs.length;
      g[d] += e / zs.length;
    });
    for (let j = 0; j <= d; j++) w[j] -= g[j] + (j < d ? l2 * w[j] : 0);
  }
  return (row) => score(z(row));
}

export { logit };
