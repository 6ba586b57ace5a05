/**
 * Prior-shift adaptation for one binary output (Saerens, Latinne & Decaestecker 2002): the
 * classifier's posteriors reflect the training prevalence; on an unlabelled batch from
 * another domain, EM re-estimates the prevalence there and re-weights the posteriors to it.
 * Labels are never needed, so this may run transductively on any batch of target texts.
 */

/** p re-weighted from the source prevalence to the target one (Bayes' rule on the odds). */
export function adjustPosterior(p: number, sourcePrior: number, targetPrior: number): number {
  const a = (targetPrior / sourcePrior) * p;
  const b = ((1 - targetPrior) / (1 - sourcePrior)) * (1 - p);
  return a + b === 0 ? 0 : a / (a + b);
}

/** The EM fixed point of the target prevalence; starts from the source prevalence. */
export function emPrior(probs: ArrayLike<number>, sourcePrior: number, maxIter = 1000, tol = 1e-7): number {
  let prior = sourcePrior;
  for (let it = 0; it < maxIter; it++) {
    let sum = 0;
    for (let i = 0; i < probs.length; i++) sum += adjustPosterior(probs[i], sourcePrior, prior);
    const next = Math.min(1 - 1e-6, Math.max(1e-6, sum / probs.length));
    if (Math.abs(next - prior) < tol) return next;
    prior = next;
  }
  return prior;
}
