import { bestThreshold, binaryStats, type BinaryStats } from "./metrics";

/**
 * Score of an Ekman group: the highest probability among its member labels. A scalar per
 * group is what quantifiers (ACC/PACC) need; the eval's "any member over its own threshold"
 * rule is reported separately.
 */
export function groupScores(probs: Float32Array[], labels: readonly string[], members: readonly string[]): number[] {
  const idx = members.map((m) => labels.indexOf(m));
  return probs.map((p) => Math.max(...idx.map((k) => p[k])));
}

export interface CalibrationBlock {
  /** Examples in the split (prevalence = support / n). */
  n: number;
  labels: Record<string, BinaryStats>;
  groups: Record<string, BinaryStats>;
}

export interface Thresholds {
  labels: Record<string, number>;
  groups: Record<string, number>;
}

/** Lowest decision threshold: below a 5% (calibrated) probability a label is noise, not a tag. */
export const MIN_THRESHOLD = 0.05;

/** F1-optimal thresholds of every label and group score, tuned on one (dev) split. */
export function tuneThresholds(
  probs: Float32Array[],
  gold: Uint8Array[],
  labels: readonly string[],
  ekman: Record<string, string[]>,
): Thresholds {
  const t: Thresholds = { labels: {}, groups: {} };
  labels.forEach((l, k) => {
    t.labels[l] = bestThreshold(
      probs.map((p) => p[k]),
      gold.map((y) => y[k] === 1),
      MIN_THRESHOLD,
    );
  });
  for (const [g, members] of Object.entries(ekman))
    t.groups[g] = bestThreshold(groupScores(probs, labels, members), groupGold(gold, labels, members), MIN_THRESHOLD);
  return t;
}

export function groupGold(gold: Uint8Array[], labels: readonly string[], members: readonly string[]): boolean[] {
  const idx = members.map((m) => labels.indexOf(m));
  return gold.map((y) => idx.some((k) => y[k] === 1));
}

/** Per label and group: the rates at the shipped thresholds and mean scores by true class, on one split. */
export function calibrationBlock(
  probs: Float32Array[],
  gold: Uint8Array[],
  labels: readonly string[],
  ekman: Record<string, string[]>,
  t: Thresholds,
): CalibrationBlock {
  const block: CalibrationBlock = { n: probs.length, labels: {}, groups: {} };
  labels.forEach((l, k) => {
    block.labels[l] = binaryStats(
      probs.map((p) => p[k]),
      gold.map((y) => y[k] === 1),
      t.labels[l],
    );
  });
  for (const [g, members] of Object.entries(ekman)) {
    block.groups[g] = binaryStats(groupScores(probs, labels, members), groupGold(gold, labels, members), t.groups[g]);
  }
  return block;
}
