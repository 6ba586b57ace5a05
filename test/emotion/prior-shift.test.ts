import { describe, expect, it } from "vitest";
import { adjustPosterior, emPrior } from "../../src/emotion/prior-shift";

describe("prior-shift EM", () => {
  it("recovers the target prevalence from calibrated posteriors of a shifted batch", () => {
    // Two score bins: A holds 90% of positives and 10% of negatives. Under a 10% source prior
    // their calibrated posteriors are 0.5 and 1/82; a batch with 40% positives has 42% in A.
    const source = 0.1;
    const batch = [...Array(420).fill(0.5), ...Array(580).fill(1 / 82)];
    expect(emPrior(batch, source)).toBeCloseTo(0.4, 4);
    expect(adjustPosterior(0.3, 0.2, 0.2)).toBeCloseTo(0.3, 10);
  });
});
