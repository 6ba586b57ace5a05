/**
 * npm run report:privacy [-- --epsilon 2 --notes-per-author 2]
 *
 * At which campaign size does the privacy noise stop dominating the published interval? For the
 * default release (PACC, ε per closed period split over its statistics, at most c notes per
 * person counted), per language, group and view, this prints the 95% interval's width without
 * and with the noise's expected variance, and the share of the observed share's variance that is
 * noise, for campaigns of 25 to 12,800 people (src/reports/publication/noise-cost.ts; the methodology page
 * states the same figures for the server's own ε). A width of 0.6 or more is what the report's
 * summary calls "too few replies to tell". Deterministic arithmetic on the shipped rates.
 */
import { parseArgs } from "node:util";
import { DEFAULT_MAX_NOTES_PER_AUTHOR } from "../../src/config";
import { noiseThresholds, shippedModel } from "../../src/reports";

const { values } = parseArgs({
  options: { epsilon: { type: "string", default: "2" }, "notes-per-author": { type: "string", default: "2" } },
});
const epsilon = Number(values.epsilon);
const perAuthor = Number(values["notes-per-author"]);
const model = shippedModel()!.info;
const c = DEFAULT_MAX_NOTES_PER_AUTHOR;

console.log(`ε = ${epsilon} per closed period, at most ${c} notes per person counted, ${perAuthor} replies per person`);
console.log("people: interval width without noise → with noise (noise share of the observed share's variance)");
for (const [language, group, truth] of [
  ["en", "anger", 0.2],
  ["en", "joy", 0.3],
  ["fr", "anger", 0.4],
  ["fr", "fear", 0.1],
] as const) {
  for (const view of ["message", "person"] as const) {
    const r = noiseThresholds(model, epsilon, c, { language, group, truth, view, perAuthor });
    console.log(
      `${language} ${group} (share ${truth}), by ${view}: noise under half the variance from ${r.noiseUnderHalf ?? "never"} people; interval under 0.6 wide from ${r.informativeNoisy ?? "never"} (${r.informativeExact ?? "never"} without noise)`,
    );
    console.log(
      `  ${r.costs.map((x) => `${x.people}: ${x.widthExact.toFixed(2)}→${x.widthNoisy.toFixed(2)} (${Math.round(100 * x.noiseShare)}%)`).join("  ")}`,
    );
  }
}
