import { readFileSync } from "node:fs";
import { z } from "zod";
import { projectPath } from "../project-root";

/** models/ at the repository root (with a trailing slash: callers append file names). */
export const MODELS_DIR = `${projectPath("models")}/`;
export const MODEL_JSON = "emotion.json";

const binaryStats = z.object({
  threshold: z.number(),
  tpr: z.number(),
  fpr: z.number(),
  precision: z.number(),
  f1: z.number(),
  support: z.number(),
  meanScorePos: z.number(),
  meanScoreNeg: z.number(),
});

const calibration = z.object({
  n: z.number().int().positive(),
  labels: z.record(z.string(), binaryStats),
  groups: z.record(z.string(), binaryStats),
});

/** The part of models/emotion.json the runtime relies on (the file holds more, see MODEL_CARD.md). */
export const modelJsonSchema = z.object({
  version: z.string(),
  onnx: z.object({
    file: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    inputs: z.object({ ids: z.string(), weights: z.string() }),
    output: z.string(),
  }),
  labels: z.array(z.string()).length(28),
  ekman: z.record(z.string(), z.array(z.string())),
  thresholds: z.record(z.string(), z.number()),
  groupThresholds: z.record(z.string(), z.number()),
  vocabulary: z.object({
    file: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    words: z.number().int().nonnegative(),
  }),
  tokenizer: z
    .object({ buckets: z.number().int().positive(), charMin: z.number().int(), charMax: z.number().int() })
    .passthrough(),
  calibration: z.object({ "goemotions-dev": calibration, "goemotions-fr-mt-dev": calibration }),
  /** Per-language error rates for the reports (src/reports/model/calibration-file.ts); written by `npm run report:calibrate`. */
  languageCalibration: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

export type ModelJson = z.infer<typeof modelJsonSchema>;

export function readModelJson(dir = MODELS_DIR): ModelJson {
  return modelJsonSchema.parse(JSON.parse(readFileSync(dir + MODEL_JSON, "utf8")));
}
