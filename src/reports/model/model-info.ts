// src/reports/model/: the emotion model as reports see it: targets, error rates, per-language calibration, the shipped files.
// Model description consumed by the report layer and per-note target extraction.
// A "target" is either a single GoEmotions label or an Ekman group; several names
// exist as both (anger, disgust, fear, joy, sadness, surprise, neutral), so a
// target is always addressed by kind + name.

export const GOEMOTIONS_LABELS = [
  "admiration",
  "amusement",
  "anger",
  "annoyance",
  "approval",
  "caring",
  "confusion",
  "curiosity",
  "desire",
  "disappointment",
  "disapproval",
  "disgust",
  "embarrassment",
  "excitement",
  "fear",
  "gratitude",
  "grief",
  "joy",
  "love",
  "nervousness",
  "optimism",
  "pride",
  "realization",
  "relief",
  "remorse",
  "sadness",
  "surprise",
  "neutral",
] as const;

export const EKMAN_GROUPS: Readonly<Record<string, readonly string[]>> = {
  anger: ["anger", "annoyance", "disapproval"],
  disgust: ["disgust"],
  fear: ["fear", "nervousness"],
  joy: [
    "joy",
    "amusement",
    "approval",
    "excitement",
    "gratitude",
    "love",
    "optimism",
    "relief",
    "pride",
    "admiration",
    "desire",
    "caring",
  ],
  sadness: ["sadness", "disappointment", "embarrassment", "grief", "remorse"],
  surprise: ["surprise", "realization", "confusion", "curiosity"],
  neutral: ["neutral"],
};

import { rateLanguageOf, type RateLanguage } from "../../emotion";
import { recalibrated, type GroupRecalibration } from "./recalibration";

/** Error rates measured on the labelled dev split (per label, or per group with p = max over its labels). */
export interface ErrorRates {
  threshold: number;
  tpr: number;
  fpr: number;
  precision: number;
  f1: number;
  /** Number of true positives in the dev split (the class's support). */
  support: number;
  /** Mean predicted probability among dev true positives. */
  meanProbPos: number;
  /** Mean predicted probability among dev true negatives. */
  meanProbNeg: number;
  /**
   * Variances of tpr, fpr, meanProbPos, meanProbNeg: sampling (the finite labelled set) plus the
   * model's own uncertainty (how much the rate moves between sources). Absent: binomial sampling
   * variance from the dev split's counts only.
   */
  variance?: { sampling: RateVariance; model: RateVariance };
}

export interface RateVariance {
  tpr: number;
  fpr: number;
  meanProbPos: number;
  meanProbNeg: number;
}

/** Error rates of every target, as measured on one language's labelled data. */
export interface LanguageRates {
  labelRates: Readonly<Record<string, ErrorRates>>;
  groupRates: Readonly<Record<string, ErrorRates>>;
}

export interface ModelInfo {
  version: string;
  labels: readonly string[];
  groups: Readonly<Record<string, readonly string[]>>;
  labelRates: Readonly<Record<string, ErrorRates>>;
  groupRates: Readonly<Record<string, ErrorRates>>;
  /** Size of the dev split: negatives for a target = devSize − support (needed for the fpr's sampling error). */
  devSize: number;
  /**
   * Rates measured per note language (models/emotion-calibration.json); a window's estimate mixes
   * them by its language composition, notes in another or no language read with `fallback`.
   * Absent: labelRates/groupRates for every note.
   */
  languages?: {
    rates: Readonly<Record<RateLanguage, LanguageRates>>;
    fallback: LanguageRates;
    /**
     * Per language, maps that recalibrate a group's probability for notes in that language before
     * it is rolled up (recalibration.ts); the rates of that language were measured on the mapped
     * probabilities. Absent for a language: its notes keep the model's probability.
     */
    recalibration?: Readonly<Partial<Record<RateLanguage, GroupRecalibration>>>;
  };
}

/**
 * "language" targets are not reported: their "over" count is the number of notes in that
 * language, which is what a window's language composition is read from (exact and incremental
 * like every other rollup).
 */
export type TargetKind = "group" | "label" | "language";

export interface Target {
  kind: TargetKind;
  name: string;
}

/** Probabilities are summed as integer millionths so that rollups are exact and order-independent (SQL bigint). */
export const PROB_SCALE = 1_000_000;

export interface NoteTargetScore extends Target {
  /** Over the decision threshold (p ≥ threshold; for a group: its max probability ≥ the group threshold). */
  over: boolean;
  /** Probability in millionths (for a group: the max over its labels, matching how group error rates were measured). */
  probMicros: number;
}

/** Groups first, then labels, each in model order: the canonical order of every report section. */
export function reportedTargetsOf(model: ModelInfo): Target[] {
  return [
    ...Object.keys(model.groups).map((name) => ({ kind: "group" as const, name })),
    ...model.labels.map((name) => ({ kind: "label" as const, name })),
  ];
}

/** Every rollup target: the reported ones, then one per rate language (notes in that language). */
export function targetsOf(model: ModelInfo): Target[] {
  return [...reportedTargetsOf(model), ...languageTargetsOf(model)];
}

export function languageTargetsOf(model: ModelInfo): Target[] {
  return Object.keys(model.languages?.rates ?? {}).map((name) => ({ kind: "language" as const, name }));
}

export function ratesOf(model: ModelInfo | LanguageRates, target: Target): ErrorRates {
  if (target.kind === "language") throw new Error(`language target ${target.name} has no error rates`);
  return (target.kind === "group" ? model.groupRates : model.labelRates)[target.name];
}

export function validateModel(model: ModelInfo): void {
  for (const label of model.labels) {
    if (!model.labelRates[label]) throw new Error(`model ${model.version}: no error rates for label "${label}"`);
  }
  for (const [group, members] of Object.entries(model.groups)) {
    if (!model.groupRates[group]) throw new Error(`model ${model.version}: no error rates for group "${group}"`);
    for (const m of members) {
      if (!model.labels.includes(m))
        throw new Error(`model ${model.version}: group "${group}" has unknown label "${m}"`);
    }
  }
  for (const target of reportedTargetsOf(model)) {
    const { support } = ratesOf(model, target);
    if (!(support >= 0 && support <= model.devSize)) {
      throw new Error(`model ${model.version}: support of ${target.kind} "${target.name}" outside [0, devSize]`);
    }
  }
}

/**
 * A probability as stored: notes keep their scores as `real` (float32), so every path (write-path
 * hook, SQL rebuild, recomputation from rows) works on the float32 value, whatever the scorer
 * returned or the driver parsed back.
 */
export const storedProbability = (p: number) => Math.fround(p);

/**
 * Millionths, as floor(p·10⁶ + 0.5): the exact IEEE operations the SQL rebuild performs on
 * float8 (PostgreSQL's round() on float8 ties to even, Math.round ties up; this form is identical).
 */
export const probMicrosOf = (p: number) => Math.floor(p * PROB_SCALE + 0.5);

/**
 * One note's contribution to every target; throws on missing or out-of-range scores.
 * A group's probability is the max over its labels and it is "over" when that max reaches the
 * group's own threshold (groupRates[g].threshold): how the model's group error rates were measured.
 * A language target is "over" when the note's language tag is that language.
 * For a note in a language with recalibration maps, a group's probability is the mapped one (its
 * "over" stays on the raw score, where that language's tpr and fpr were measured).
 */
export function scoreNote(
  scores: Readonly<Record<string, number>>,
  model: ModelInfo,
  language?: string | null,
): NoteTargetScore[] {
  const p = new Map<string, number>();
  for (const label of model.labels) {
    const raw = scores[label];
    if (typeof raw !== "number" || !(raw >= 0 && raw <= 1))
      throw new Error(`score for "${label}" must be a number in [0, 1]`);
    p.set(label, storedProbability(raw));
  }
  const lang = rateLanguageOf(language);
  const maps = lang ? model.languages?.recalibration?.[lang] : undefined;
  const groups = Object.entries(model.groups).map(([name, members]) => {
    const max = Math.max(...members.map((m) => p.get(m)!));
    const map = maps?.[name];
    return {
      kind: "group" as const,
      name,
      over: max >= model.groupRates[name].threshold,
      probMicros: probMicrosOf(map ? recalibrated(map, max) : max),
    };
  });
  const labels = model.labels.map((name) => ({
    kind: "label" as const,
    name,
    over: p.get(name)! >= model.labelRates[name].threshold,
    probMicros: probMicrosOf(p.get(name)!),
  }));
  const languages = languageTargetsOf(model).map(({ name }) => ({
    kind: "language" as const,
    name,
    over: name === lang,
    probMicros: name === lang ? PROB_SCALE : 0,
  }));
  return [...groups, ...labels, ...languages];
}
