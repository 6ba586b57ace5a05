import type { Net } from "./net";

/**
 * Platt scaling of one output: a, b minimising the log loss of sigmoid(a·z + b) on held-out
 * logits z (Newton's method on the two parameters). The network trains to near-certainty
 * on its own training set; on dev its raw scores are overconfident, which misleads
 * anything that reads them as probabilities (prior-shift EM, PACC).
 */
export function plattFit(z: ArrayLike<number>, y: ArrayLike<boolean>): { a: number; b: number } {
  const loss = (a: number, b: number) => {
    let l = 0;
    for (let i = 0; i < z.length; i++) {
      const m = a * z[i] + b;
      // log(1 + e^m) − y·m, written to stay finite for large |m|.
      l += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - (y[i] ? m : 0);
    }
    return l;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0,
      gb = 0,
      haa = 0,
      hab = 0,
      hbb = 0;
    for (let i = 0; i < z.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * z[i] + b)));
      const r = p - (y[i] ? 1 : 0);
      const w = Math.max(p * (1 - p), 1e-12);
      ga += r * z[i];
      gb += r;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    // A small ridge keeps the 2×2 system solvable for a label with almost no positives.
    haa += 1e-6;
    hbb += 1e-6;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Backtracking: a full Newton step overshoots when the logits are large (near-separable
    // outputs), and an undamped one can flip the sign of a.
    let step = 1;
    while (step > 1e-6 && !(loss(a - step * da, b - step * db) <= current)) step /= 2;
    if (step <= 1e-6) break;
    a -= step * da;
    b -= step * db;
    const next = loss(a, b);
    const done = current - next < 1e-10 * Math.max(1, current);
    current = next;
    if (done) break;
  }
  return { a, b };
}

/** Folds per-output scaling into the last layer: a·(h·w2 + b2) + b = h·(a·w2) + (a·b2 + b). */
export function foldScaling(net: Net, scale: { a: number; b: number }[]): void {
  const inner = net.hidden || net.dim;
  for (let i = 0; i < inner; i++) for (let o = 0; o < net.outputs; o++) net.w2[i * net.outputs + o] *= scale[o].a;
  for (let o = 0; o < net.outputs; o++) net.b2[o] = scale[o].a * net.b2[o] + scale[o].b;
}
