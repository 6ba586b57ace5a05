// models/emotion-calibration.json: the model's error rates per note language, measured on
// labelled data of that language (scripts/report/calibrate.ts), with how much each rate moves
// between sources (the model's own uncertainty). Its SHA-256 is recorded in emotion.json and
// checked on load, like the ONNX and vocabulary files.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { MODELS_DIR, type ModelJson, fnv1a } from "../../emotion";

export const CALIBRATION_FILE = "emotion-calibration.json";
/** EmoDIFT is cross-fitted in this many folds: every figure reported on it is out-of-fold. */
export const CALIBRATION_FOLDS = 5;

/** The cross-fitting fold of an EmoDIFT row, from its id (`num`), never its text. */
export const foldOf = (num: string) => fnv1a(`emodift:${num}`) % CALIBRATION_FOLDS;

const values = z.object({ tpr: z.number(), fpr: z.number(), meanScorePos: z.number(), meanScoreNeg: z.number() });

const rateStats = values.extend({
  positives: z.number().int().nonnegative(),
  negatives: z.number().int().nonnegative(),
  /** Variance of each rate from the finite labelled sample it was measured on. */
  samplingVariance: values,
  /** Variance of each rate across sources (languages' datasets, domains): the model's own uncertainty. */
  modelVariance: values,
});

/** A group's recalibration map (recalibration.ts) and the Platt parameters its knots were drawn from. */
const recalibrationMap = z.object({
  platt: z.object({ a: z.number(), b: z.number() }),
  knots: z.array(z.number()).min(2),
  values: z.array(z.number()).min(2),
});

const recalibration = z.object({
  what: z.string(),
  groups: z.record(z.string(), recalibrationMap),
});

const languageRates = z.object({
  sources: z.array(z.string()),
  groups: z.record(z.string(), rateStats),
  labels: z.record(z.string(), rateStats),
  /** Maps applied to this language's group probabilities before they are rolled up; its group rates are measured on them. */
  recalibration: recalibration.optional(),
  /**
   * Rates (and maps) without fold k of the cross-fitted source: report:eval reads fold k's posts
   * with them, so that neither was fitted on those posts.
   */
  folds: z
    .array(z.object({ groups: z.record(z.string(), rateStats), recalibration: recalibration.optional() }))
    .optional(),
});

export const calibrationSchema = z.object({
  model: z.string(),
  onnxSha256: z.string(),
  folds: z.object({ count: z.number().int().positive(), rule: z.string() }),
  languages: z.object({ en: languageRates, fr: languageRates }),
  /** Per-post quality on French social posts (out-of-fold), for the model card and methodology page. */
  frenchPerPost: z.object({
    what: z.string(),
    everyGroupBaseline: z.number(),
    shippedThresholds: z.object({ frenchReading: z.number(), untagged: z.number() }),
    crossFittedThresholds: z.object({ frenchReading: z.number(), untagged: z.number() }),
    /** Other ways of deciding per tweet that were measured (cross-fitted), named by what they read. */
    tried: z.record(z.string(), z.number()).optional(),
  }),
});

export type RateStats = z.infer<typeof rateStats>;
export type LanguageRates = z.infer<typeof languageRates>;
export type LanguageCalibration = z.infer<typeof calibrationSchema>;

/**
 * The reference a freshly written model JSON in `dir` keeps: the calibration file there, if it
 * was measured on this very ONNX file (a byte-identical retrain keeps it; a new model needs
 * `npm run report:calibrate`).
 */
export function calibrationReferenceFor(dir: string, onnxSha256: string): { file: string; sha256: string } | undefined {
  if (!existsSync(dir + CALIBRATION_FILE)) return undefined;
  const bytes = readFileSync(dir + CALIBRATION_FILE);
  const parsed = calibrationSchema.safeParse(JSON.parse(bytes.toString("utf8")));
  if (!parsed.success || parsed.data.onnxSha256 !== onnxSha256) return undefined;
  return { file: CALIBRATION_FILE, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * The per-language calibration the model JSON names, checked against its SHA-256 and bound to
 * the same ONNX file; null when the model JSON names none (a freshly trained model, before
 * `npm run report:calibrate`).
 */
export function readLanguageCalibration(json: ModelJson, dir = MODELS_DIR): LanguageCalibration | null {
  if (!json.languageCalibration) return null;
  const { file, sha256 } = json.languageCalibration;
  const bytes = readFileSync(dir + file);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) throw new Error(`${file}: SHA-256 ${actual} does not match ${sha256} in the model JSON`);
  const cal = calibrationSchema.parse(JSON.parse(bytes.toString("utf8")));
  if (cal.onnxSha256 !== json.onnx.sha256)
    throw new Error(`${file} was measured on another ONNX file (${cal.onnxSha256})`);
  return cal;
}
