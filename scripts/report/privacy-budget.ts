/**
 * npm run report:privacy [-- --epsilon 2 --notes-per-author 2]
 *
 * At which campaign size does the privacy noise stop dominating the published interval? For the
 * default release (PACC, by message and by person, ε per closed period split over its statistics,
 * at most c notes per person counted), per language and group, this prints the 95% interval's
 * width without and with the noise's expected variance, and the share of the interval's variance
 * that is noise, for campaigns of 25 to 12,800 people. A width of 0.6 or more is what the report's
 * summary calls "too few replies to tell" (src/pages/report.tsx, UNSURE_TENTHS).
 * Deterministic arithmetic on the shipped rates: no data is read.
 */
import { parseArgs } from "node:util";
import { DEFAULT_MAX_NOTES_PER_AUTHOR } from "../../src/config";
import { probabilisticAdjustedClassifyAndCount, type ShareSample } from "../../src/reports/estimators";
import { mixedRates } from "../../src/reports/language-mix";
import { languageTargetsOf } from "../../src/reports/model";
import { shippedModel } from "../../src/reports/model-file";
import { planRelease } from "../../src/reports/private";

const { values } = parseArgs({
  options: { epsilon: { type: "string", default: "2" }, "notes-per-author": { type: "string", default: "2" } },
});
const epsilon = Number(values.epsilon);
const perAuthor = Number(values["notes-per-author"]);
const model = shippedModel()!.info;
const c = DEFAULT_MAX_NOTES_PER_AUTHOR;
const release = planRelease(epsilon, Object.keys(model.groups).length, c, languageTargetsOf(model).length);
const SIZES = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800];

/** Interval of a group's share for a campaign of `people`, by message or by person, with or without noise. */
function interval(
  lang: "en" | "fr",
  group: string,
  truth: number,
  people: number,
  view: "message" | "person",
  noisy: boolean,
) {
  const rates = mixedRates(model, { kind: "group", name: group }, { [lang]: 1 });
  const mean = rates.meanProbNeg + (rates.meanProbPos - rates.meanProbNeg) * truth;
  const notes = Math.min(c, perAuthor) * people;
  const sample: ShareSample =
    view === "message"
      ? {
          mean,
          units: people,
          effectiveSize: Math.max(1, notes / c),
          noiseVariance: noisy ? (2 * release.scale.message ** 2 * (1 + mean * mean)) / (notes * notes) : 0,
        }
      : {
          mean,
          units: people,
          effectiveSize: people,
          noiseVariance: noisy
            ? (2 * release.scale.person ** 2 + 2 * release.scale.authors ** 2 * mean * mean) / people ** 2
            : 0,
        };
  const e = probabilisticAdjustedClassifyAndCount(sample, rates, model.devSize);
  const sampling = (mean * (1 - mean)) / (sample.effectiveSize + 3.84);
  return { width: e.high - e.low, noiseShare: sample.noiseVariance / (sample.noiseVariance + sampling) };
}

console.log(
  `ε = ${epsilon} per closed period, ${release.statisticsPerWindow} statistics (ε ${release.epsilonPerStatistic.toFixed(3)} each), at most ${c} notes per person, ${perAuthor} notes per person`,
);
console.log(
  "lang group    truth view     people: width without noise → with noise (noise share of the sampling variance)",
);
for (const [lang, group, truth] of [
  ["en", "anger", 0.2],
  ["en", "joy", 0.3],
  ["fr", "anger", 0.4],
  ["fr", "fear", 0.1],
] as const) {
  for (const view of ["message", "person"] as const) {
    const cells = SIZES.map((m) => {
      const a = interval(lang, group, truth, m, view, false);
      const b = interval(lang, group, truth, m, view, true);
      return `${m}: ${a.width.toFixed(2)}→${b.width.toFixed(2)} (${Math.round(100 * b.noiseShare)}%)`;
    });
    console.log(`${lang}   ${group.padEnd(8)} ${truth.toFixed(1)}  ${view.padEnd(8)} ${cells.join("  ")}`);
  }
}
