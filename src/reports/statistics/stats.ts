// Small numeric helpers shared by the estimators and the weak-signal test.

/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export const clip01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * P(Z > z) for a standard normal, via the Chebyshev erfc approximation of Numerical Recipes
 * (relative error < 1.2e-7 everywhere, including the far tail, which matters for p-value ranking).
 */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}
