// The shipped model (models/emotion.json) as the report layer sees it: labels, groups,
// thresholds and dev error rates. Read once per process; the emotion runtime owns the file.

import { readModelJson, type ModelJson } from "../emotion/model-file";
import type { ErrorRates, ModelInfo } from "./model";

/**
 * The estimators adjust with the English GoEmotions dev split: notes arrive in many languages and
 * are not stratified by language in the rollups, so one set of rates is used for all of them;
 * the methodology page shows the French (machine-translated) dev rates next to it and says so.
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

export function modelInfoFromJson(json: ModelJson, calibration: keyof ModelJson["calibration"] = ESTIMATOR_CALIBRATION): ModelInfo {
  const cal = json.calibration[calibration];
  return {
    version: json.version,
    labels: json.labels,
    groups: json.ekman,
    // The decision thresholds are the model's own (thresholds / groupThresholds); the dev stats
    // were measured at those thresholds, rounded, so the exact ones win.
    labelRates: mapValues(cal.labels, (s, label) => ({ ...ratesOf(s), threshold: json.thresholds[label] ?? s.threshold })),
    groupRates: mapValues(cal.groups, (s, group) => ({ ...ratesOf(s), threshold: json.groupThresholds[group] ?? s.threshold })),
    devSize: cal.n,
  };
}

let cached: { json: ModelJson; info: ModelInfo } | undefined;

/** The shipped model's report description, or null when models/ holds no model JSON yet. */
export function shippedModel(): { json: ModelJson; info: ModelInfo } | null {
  if (cached) return cached;
  try {
    const json = readModelJson();
    cached = { json, info: modelInfoFromJson(json) };
    return cached;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}
