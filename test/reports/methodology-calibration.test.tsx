// The methodology page states the per-language rates, how intervals are made, the default
// estimator and what report:eval measured, from the shipped files (not from hard-coded text).

import { describe, expect, it } from "vitest";
import { MethodologyCalibration } from "../../src/site/pages/methodology-calibration";
import { DEFAULT_ESTIMATOR } from "../../src/reports/aggregate";
import { shippedReportEval } from "../../src/reports/eval-file";
import { shippedModel } from "../../src/reports/shipped-model";

describe("methodology: calibration part", () => {
  it("shows both languages' rates, the evaluation's coverage and error, and the default estimator", async () => {
    const shipped = shippedModel()!;
    const html = String(await (<MethodologyCalibration />));
    const fr = shipped.languages!.languages.fr.groups.anger;
    const en = shipped.languages!.languages.en.groups.anger;
    expect(html).toContain(fr.tpr.toFixed(3));
    expect(html).toContain(en.fpr.toFixed(3));
    expect(html).toContain("cross-fitted in 5 folds");
    const evaluation = shippedReportEval(shipped.json.version)!;
    expect(evaluation.defaultEstimator).toBe(DEFAULT_ESTIMATOR);
    expect(html).toContain(`Reports publish ${DEFAULT_ESTIMATOR.toUpperCase()} by default`);
    expect(html).toContain(evaluation.estimators[DEFAULT_ESTIMATOR].mae.toFixed(3));
    expect(html).toContain(shipped.languages!.frenchPerPost.crossFittedThresholds.frenchReading.toFixed(3));
    // Remote text never reaches this part: it only renders numbers and fixed sentences.
    expect(html).not.toContain("<script");
  });
});
