// The shipped model (models/emotion.json) as the report layer sees it: labels, groups,
// thresholds and error rates. Read once per process; the emotion runtime owns the file.

import { RATE_LANGUAGES, type RateLanguage, readModelJson, type ModelJson } from "../../emotion";
import { readLanguageCalibration, type LanguageCalibration, type RateStats } from "./calibration-file";
import type { ErrorRates, LanguageRates, ModelInfo, RateVariance } from "./model-info";
import type { GroupRecalibration } from "./recalibration";

/**
 * Without a per-language calibration file, the estimators adjust every note with the English
 * GoEmotions dev rates (the split the thresholds were tuned on).
 */
export const ESTIMATOR_CALIBRATION = "goemotions-dev" as const;

type Stats = ModelJson["calibration"][typeof ESTIMATOR_CALIBRATION]["labels"][string];

const ratesOf = (s: Stats): ErrorRates => ({
  threshold: s.threshold,
  tpr: s.tpr,
  fpr: s.fpr,
  precision: s.precision,
  f1: s.f1,
  support: s.support,
  meanProbPos: s.meanScorePos,
  meanProbNeg: s.meanScoreNeg,
});

const mapValues = <T, U>(o: Readonly<Record<string, T>>, f: (v: T, k: string) => U) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));

const variance = (v: RateStats["samplingVariance"]): RateVariance => ({
  tpr: v.tpr,
  fpr: v.fpr,
  meanProbPos: v.meanScorePos,
  meanProbNeg: v.meanScoreNeg,
});

/** A language's measured rates at the model's threshold; precision and F1 follow from the counts. */
function languageRatesOf(s: RateStats, threshold: number): ErrorRates {
  const tp = s.tpr * s.positives;
  const fp = s.fpr * s.negatives;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  return {
    threshold,
    tpr: s.tpr,
    fpr: s.fpr,
    precision,
    f1: precision + s.tpr > 0 ? (2 * precision * s.tpr) / (precision + s.tpr) : 0,
    support: s.positives,
    meanProbPos: s.meanScorePos,
    meanProbNeg: s.meanScoreNeg,
    variance: { sampling: variance(s.samplingVariance), model: variance(s.modelVariance) },
  };
}

const KEYS = ["tpr", "fpr", "meanProbPos", "meanProbNeg"] as const;

/**
 * Rates for notes in a language the model has no rates of (or no tag): the mean of the
 * languages' rates, with the spread between them added to the model's uncertainty.
 */
function fallbackRates(rates: readonly ErrorRates[]): ErrorRates {
  const n = rates.length;
  const mean = (f: (r: ErrorRates) => number) => rates.reduce((a, r) => a + f(r), 0) / n;
  const out: ErrorRates = {
    ...rates[0],
    precision: mean((r) => r.precision),
    f1: mean((r) => r.f1),
    support: Math.round(mean((r) => r.support)),
  };
  const sampling = {} as RateVariance;
  const model = {} as RateVariance;
  for (const k of KEYS) {
    const m = mean((r) => r[k]);
    out[k] = m;
    sampling[k] = mean((r) => r.variance!.sampling[k]) / n;
    model[k] = mean((r) => r.variance!.model[k]) + mean((r) => (r[k] - m) ** 2);
  }
  out.variance = { sampling, model };
  return out;
}

/**
 * Per-language rates and recalibration maps from the calibration file. `fold`: French group rates
 * and maps fitted without that fold of the cross-fitted French source (report:eval reads that
 * fold's posts with them).
 */
function languagesOf(
  json: ModelJson,
  cal: LanguageCalibration,
  fold: number | null,
): NonNullable<ModelInfo["languages"]> {
  const rates = {} as Record<RateLanguage, LanguageRates>;
  const recalibration: Partial<Record<RateLanguage, GroupRecalibration>> = {};
  for (const lang of RATE_LANGUAGES) {
    const block = cal.languages[lang];
    const folded = fold !== null && block.folds ? block.folds[fold] : null;
    const groups = folded ? folded.groups : block.groups;
    const maps = folded ? folded.recalibration : block.recalibration;
    if (maps) recalibration[lang] = mapValues(maps.groups, ({ knots, values }) => ({ knots, values }));
    rates[lang] = {
      labelRates: mapValues(block.labels, (s, label) => languageRatesOf(s, json.thresholds[label])),
      groupRates: mapValues(groups, (s, group) => languageRatesOf(s, json.groupThresholds[group])),
    };
  }
  const all = RATE_LANGUAGES.map((l) => rates[l]);
  return {
    rates,
    ...(Object.keys(recalibration).length > 0 ? { recalibration } : {}),
    fallback: {
      labelRates: mapValues(all[0].labelRates, (_, k) => fallbackRates(all.map((r) => r.labelRates[k]))),
      groupRates: mapValues(all[0].groupRates, (_, k) => fallbackRates(all.map((r) => r.groupRates[k]))),
    },
  };
}

export function modelInfoFromJson(
  json: ModelJson,
  calibration: keyof ModelJson["calibration"] = ESTIMATOR_CALIBRATION,
  languages: { calibration: LanguageCalibration; fold: number | null } | null = null,
): ModelInfo {
  const cal = json.calibration[calibration];
  return {
    version: json.version,
    labels: json.labels,
    groups: json.ekman,
    // The decision thresholds are the model's own (thresholds / groupThresholds); the dev stats
    // were measured at those thresholds, rounded, so the exact ones win.
    labelRates: mapValues(cal.labels, (s, label) => ({
      ...ratesOf(s),
      threshold: json.thresholds[label] ?? s.threshold,
    })),
    groupRates: mapValues(cal.groups, (s, group) => ({
      ...ratesOf(s),
      threshold: json.groupThresholds[group] ?? s.threshold,
    })),
    devSize: cal.n,
    ...(languages ? { languages: languagesOf(json, languages.calibration, languages.fold) } : {}),
  };
}

let cached: { json: ModelJson; info: ModelInfo; languages: LanguageCalibration | null } | undefined;
let evaluationFold: number | null = null;

/** The shipped model's report description, or null when models/ holds no model JSON yet. */
export function shippedModel(): { json: ModelJson; info: ModelInfo; languages: LanguageCalibration | null } | null {
  if (cached) return cached;
  try {
    const json = readModelJson();
    const languages = readLanguageCalibration(json);
    cached = {
      json,
      languages,
      info: modelInfoFromJson(
        json,
        ESTIMATOR_CALIBRATION,
        languages && { calibration: languages, fold: evaluationFold },
      ),
    };
    return cached;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * For `npm run report:eval` only: reports read from now on use the French rates measured without
 * fold `fold` of the cross-fitted source (null: all of it, as shipped). Never called by the server.
 */
export function useCalibrationFold(fold: number | null): void {
  evaluationFold = fold;
  cached = undefined;
}
