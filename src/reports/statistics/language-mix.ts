// A window's error rates from its language composition. Each note is read with the rates measured
// on its own language (models/emotion-calibration.json); a window of mixed languages has, in
// expectation, share_over = Σ_L w_L·(fpr_L + (tpr_L − fpr_L)·π), so its rates are the
// composition-weighted means of the languages' rates. The composition comes from the language
// targets' rollups (notes per language), exact and incremental like every other sum.

import { RATE_LANGUAGES } from "../../emotion";
import {
  languageTargetsOf,
  ratesOf,
  type ErrorRates,
  type ModelInfo,
  type RateVariance,
  type Target,
} from "../model/model-info";
import { SHARE_SCALE, type TargetCell } from "./sums";

/** Weight of each rate language, and of notes in no rate language ("other": the fallback rates). */
export type Composition = Readonly<Record<string, number>>;

export const OTHER_LANGUAGES = "other";

/**
 * By message: share of the window's notes in each language. By person: mean over authors of
 * their own share of notes in that language, matching how the by-person share is averaged.
 */
export function compositionOf(
  model: ModelInfo,
  cellOf: (t: Target) => TargetCell,
  view: "message" | "person",
): Composition {
  const out: Record<string, number> = {};
  let rest = 1;
  for (const t of languageTargetsOf(model)) {
    const c = cellOf(t);
    const w =
      view === "message"
        ? Number(c.over.sum) / Number(c.notes)
        : Number(c.over.share) / Number(SHARE_SCALE) / c.authors;
    out[t.name] = w;
    rest -= w;
  }
  out[OTHER_LANGUAGES] = Math.max(0, rest);
  return out;
}

const KEYS = ["tpr", "fpr", "meanProbPos", "meanProbNeg"] as const;

/**
 * The rates of a target for a window of this composition. Sampling errors of the languages'
 * rates are independent (different labelled sets); the model's errors are added as if fully
 * correlated across languages (a domain that fools the model in one language may fool it in the
 * other), the conservative choice.
 */
export function mixedRates(model: ModelInfo, target: Target, composition: Composition): ErrorRates {
  const languages = model.languages;
  if (!languages) return ratesOf(model, target);
  const parts = [
    ...RATE_LANGUAGES.map((l) => [composition[l] ?? 0, ratesOf(languages.rates[l], target)] as const),
    [composition[OTHER_LANGUAGES] ?? 0, ratesOf(languages.fallback, target)] as const,
  ].filter(([w]) => w > 0);
  if (parts.length === 0) return ratesOf(languages.fallback, target);
  if (parts.length === 1) return parts[0][1];
  const total = parts.reduce((a, [w]) => a + w, 0);
  const sum = (f: (r: ErrorRates, w: number) => number) => parts.reduce((a, [w, r]) => a + f(r, w / total), 0);
  const sampling = {} as RateVariance;
  const modelVar = {} as RateVariance;
  const out: ErrorRates = { ...parts[0][1], precision: sum((r, w) => w * r.precision), f1: sum((r, w) => w * r.f1) };
  for (const k of KEYS) {
    out[k] = sum((r, w) => w * r[k]);
    sampling[k] = sum((r, w) => w * w * r.variance!.sampling[k]);
    modelVar[k] = sum((r, w) => w * Math.sqrt(r.variance!.model[k])) ** 2;
  }
  out.variance = { sampling, model: modelVar };
  return out;
}
