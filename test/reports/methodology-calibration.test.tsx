// The methodology page states the per-language rates, how intervals are made, the default
// estimator and what report:eval measured, from the shipped files (not from hard-coded text).

import { describe, expect, it } from "vitest";
import { MethodologyPage } from "../../src/site/pages/methodology";
import { MethodologyCalibration } from "../../src/site/pages/methodology-calibration";
import { noiseThresholds } from "../../src/reports/publication/noise-cost";
import { DEFAULT_ESTIMATOR } from "../../src/reports/publication/aggregate";
import { shippedReportEval } from "../../src/reports/model/eval-file";
import { shippedModel } from "../../src/reports/model/shipped-model";

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

  it("says how French probabilities are recalibrated, and what else was measured per post and not used", async () => {
    const shipped = shippedModel()!;
    const html = String(await (<MethodologyCalibration />));
    expect(html).toContain("recalibrated first");
    for (const g of Object.keys(shipped.languages!.languages.fr.recalibration!.groups)) expect(html).toContain(g);
    for (const f1 of Object.values(shipped.languages!.frenchPerPost.tried!)) expect(html).toContain(f1.toFixed(3));
    // In the reader's language, with the same figures.
    const fr = String(await (<MethodologyCalibration lang="fr" />));
    expect(fr).toContain("sont d");
    expect(fr).toContain("recalibrées");
    expect(fr).toContain("validation croisée en 5 parts");
    expect(fr).toContain(shipped.languages!.frenchPerPost.crossFittedThresholds.frenchReading.toFixed(3));
  });

  it("states, for the server's ε, from which campaign size the privacy noise stops dominating", async () => {
    const shipped = shippedModel()!;
    const page = (epsilon: number | undefined, lang: "en" | "fr") =>
      String(MethodologyPage({ json: shipped.json, cardHtml: null, k: 11, epsilon, maxNotesPerAuthor: 3, lang }));
    const at = (epsilon: number) =>
      noiseThresholds(shipped.info, epsilon, 3, {
        language: "en",
        group: "anger",
        truth: 0.2,
        view: "message",
        perAuthor: 2,
      });
    const two = at(2);
    // Measured, not asserted blindly: at ε = 2 the noise dominates small campaigns, and costs a
    // larger campaign before the summary can name a share than exact figures would.
    expect(two.noiseUnderHalf!).toBeGreaterThanOrEqual(1000);
    expect(two.informativeNoisy!).toBeGreaterThan(two.informativeExact!);
    expect(at(8).noiseUnderHalf!).toBeLessThan(two.noiseUnderHalf!);
    const en = page(2, "en");
    expect(en).toContain("What the noise costs, at ε = 2");
    expect(en).toContain(`until about ${two.noiseUnderHalf!.toLocaleString("en")} people`);
    expect(en).toContain(`from about ${two.informativeNoisy!.toLocaleString("en")} people by message`);
    expect(page(2, "fr")).toContain("Ce que coûte le bruit, à ε = 2");
    // Exact figures (an evaluation setting): no noise, no cost stated.
    expect(page(undefined, "en")).not.toContain("What the noise costs");
  });
});
