/** Binary confusion counts and the rates derived from them. */
export interface BinaryStats {
  threshold: number;
  tpr: number;
  fpr: number;
  precision: number;
  f1: number;
  support: number;
  /** Mean score among the truly positive / truly negative examples (what PACC needs). */
  meanScorePos: number;
  meanScoreNeg: number;
}

export function f1Of(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Precision, recall and F1 of hard decisions. */
export function prf(
  pred: ArrayLike<boolean>,
  gold: ArrayLike<boolean>,
): { precision: number; recall: number; f1: number; support: number } {
  let tp = 0,
    fp = 0,
    fn = 0;
  for (let i = 0; i < gold.length; i++) {
    if (pred[i] && gold[i]) tp++;
    else if (pred[i]) fp++;
    else if (gold[i]) fn++;
  }
  return {
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    f1: f1Of(tp, fp, fn),
    support: tp + fn,
  };
}

/**
 * The threshold maximising F1 of `score >= t`, scanning every distinct score (ties move
 * together). It is placed halfway to the next lower score, so it is robust to rounding.
 * Never below `floor`: for a label the model cannot detect (grief), the F1-optimal cut is
 * "tag nearly everything", which buys a few hundredths of dev F1 at the cost of tagging
 * every note.
 */
export function bestThreshold(scores: ArrayLike<number>, gold: ArrayLike<boolean>, floor = 0): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i]) pos++;
  let tp = 0,
    fp = 0,
    best = -1,
    bestT = Math.max(0.5, floor);
  for (let k = 0; k < idx.length; k++) {
    const s = scores[idx[k]];
    if (s < floor) break;
    if (gold[idx[k]]) tp++;
    else fp++;
    if (k + 1 < idx.length && scores[idx[k + 1]] === s) continue;
    const f = f1Of(tp, fp, pos - tp);
    if (f > best) {
      best = f;
      bestT = Math.max(floor, k + 1 < idx.length ? (s + scores[idx[k + 1]]) / 2 : s / 2);
    }
  }
  return bestT;
}

export function binaryStats(scores: ArrayLike<number>, gold: ArrayLike<boolean>, threshold: number): BinaryStats {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0,
    sPos = 0,
    sNeg = 0;
  for (let i = 0; i < gold.length; i++) {
    const p = scores[i] >= threshold;
    if (gold[i]) {
      sPos += scores[i];
      p ? tp++ : fn++;
    } else {
      sNeg += scores[i];
      p ? fp++ : tn++;
    }
  }
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    threshold: round(threshold),
    tpr: round(tp + fn ? tp / (tp + fn) : 0),
    fpr: round(fp + tn ? fp / (fp + tn) : 0),
    precision: round(tp + fp ? tp / (tp + fp) : 0),
    f1: round(f1Of(tp, fp, fn)),
    support: tp + fn,
    meanScorePos: round(tp + fn ? sPos / (tp + fn) : 0),
    meanScoreNeg: round(fp + tn ? sNeg / (fp + tn) : 0),
  };
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
