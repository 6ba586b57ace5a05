// The differentially private report: the public default.
//
// Each closed window is released with the Laplace mechanism under a budget ε (per window and
// estimator). What one person can change in a window: the author count by 1; with at most c of
// their notes counted (each author's tallies scaled by min(n, c)/n), the clipped note count and
// each group's by-message sum by at most c; each group's by-person sum (their own share, in
// [0, 1]) by at most 1. ε is split evenly over those 2 + 2·groups statistics, plus 2 per rate language (the noisy language composition that mixes the error rates). Everything shown
// (shares, intervals, weak signals) is computed from the noisy statistics alone, so it costs no
// more budget (post-processing). The 28 fine labels are not released: their budget would leave
// nothing but noise. Noise is keyed (noise.ts), so the same statistic always reads the same.

import {
  boundsOf,
  targetKey,
  TOTAL_KEY,
  views,
  weakSignalsOf,
  type AdjustedEstimator,
  type NoiseRelease,
  type Report,
  type ReportOptions,
  type TargetEstimates,
  type WindowReport,
} from "./aggregate";
import type { ShareSample, Statistic } from "../statistics/estimators";
import { OTHER_LANGUAGES, type Composition } from "../statistics/language-mix";
import { languageTargetsOf, targetsOf, validateModel, type ModelInfo, type Target } from "../model/model-info";
import { keyedLaplace } from "./noise";
import { assertK, MIN_K, type Suppressed } from "./privacy";
import type { ClippedWindow } from "./release";
import { CAMPAIGN_WINDOW } from "../rollups/windows";

export interface PrivacySettings {
  epsilon: number;
  maxNotesPerAuthor: number;
  /** The instance's noise key (noise.ts); never published. */
  secret: Buffer;
}

export interface PrivateInput {
  /** The scope whose statistics these are (part of every statistic's identity). */
  scopeId: string;
  /** "day" or "week": the windows the statistics were read from (a campaign report reads days). */
  rowSpec: "day" | "week";
  /** Closed windows of rowSpec, without the whole range. */
  windows: readonly ClippedWindow[];
  /** The whole range (closed windows only); null when nothing is closed yet. */
  total: ClippedWindow | null;
  /** Suppression decided across reports (cross-suppression.ts), by window key or TOTAL_KEY. */
  suppressed(key: string): Suppressed | undefined;
}

/** The statistic whose noisy sums a report's estimator reads ("over" for ACC, "prob" for PACC). */
const statisticOf = (estimator: AdjustedEstimator): Statistic => (estimator === "acc" ? "over" : "prob");

export function planRelease(epsilon: number, groups: number, maxNotesPerAuthor: number, languages = 0): NoiseRelease {
  if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new Error(`epsilon must be a positive number (got ${epsilon})`);
  // authors, notes, and per group and per rate language a by-message and a by-person sum
  const statisticsPerWindow = 2 + 2 * groups + 2 * languages;
  const epsilonPerStatistic = epsilon / statisticsPerWindow;
  return {
    mechanism: "laplace",
    epsilon,
    statisticsPerWindow,
    epsilonPerStatistic,
    maxNotesPerAuthor,
    scale: {
      authors: 1 / epsilonPerStatistic,
      message: maxNotesPerAuthor / epsilonPerStatistic,
      person: 1 / epsilonPerStatistic,
    },
  };
}

export function privateReport(
  input: PrivateInput,
  model: ModelInfo,
  options: ReportOptions,
  privacy: PrivacySettings,
): Report {
  validateModel(model);
  const k = assertK(options.k ?? MIN_K);
  const groups = targetsOf(model).filter((t) => t.kind === "group");
  const languages = languageTargetsOf(model).map((t) => t.name);
  const release = planRelease(privacy.epsilon, groups.length, privacy.maxNotesPerAuthor, languages.length);
  const { scale } = release;
  const stat = statisticOf(options.estimator);
  const c = privacy.maxNotesPerAuthor;
  const index = new Map(targetsOf(model).map((t, i) => [targetKey(t), i]));

  const personSamples = new Map<string, Map<string, ShareSample>>();
  const publish = (w: ClippedWindow, key: string): WindowReport => {
    const base = {
      key,
      ...(options.window === "campaign" ? { start: null, end: null } : boundsOf(key, keys, options.window)),
    };
    const hidden = input.suppressed(w.key);
    if (hidden) return { ...base, ...hidden };
    const noise = (name: string, value: number, b: number) =>
      keyedLaplace(privacy.secret, [input.scopeId, input.rowSpec, w.key, name], value, b);
    // Noisy counts, then clamped to what is certainly true of any published cell (post-processing).
    const authors = Math.max(k, Math.round(w.authors + noise("authors", w.authors, scale.authors)));
    const exactNotes = w.targets[0].notes;
    const notes = Math.max(authors, exactNotes + noise("notes", exactNotes, scale.message));
    // The language composition that mixes the error rates (language-mix.ts), from noisy sums too,
    // so that the whole report stays post-processing of the released statistics.
    const composition = (view: "message" | "person"): Composition => {
      const out: Record<string, number> = {};
      for (const l of languages) {
        const cell = w.languages[l];
        const exact = cell ? (view === "message" ? cell.message.over : cell.person.over) : 0;
        const b = view === "message" ? scale.message : scale.person;
        const noisy = exact + noise(`language-${view}:${l}`, exact, b);
        out[l] = Math.min(1, Math.max(0, noisy / (view === "message" ? notes : authors)));
      }
      const sum = Object.values(out).reduce((a, x) => a + x, 0);
      if (sum > 1) for (const l of languages) out[l] /= sum;
      out[OTHER_LANGUAGES] = Math.max(0, 1 - Math.min(1, sum));
      return out;
    };
    const messageMix = composition("message");
    const personMix = composition("person");
    const person = new Map<string, ShareSample>();
    const estimates = groups.map((t): [string, TargetEstimates] => {
      const cell = w.targets[index.get(targetKey(t))!];
      const name = `${stat}:${targetKey(t)}`;
      // By message: the clipped sum over the clipped count. With at most c counted notes per
      // author, the author-clustered variance is at most c times the binomial one, so N/c notes
      // are a conservative effective size; the noise adds its own variance (delta method).
      const m = (cell.message[stat] + noise(`message:${name}`, cell.message[stat], scale.message)) / notes;
      const message: ShareSample = {
        mean: m,
        units: authors,
        effectiveSize: Math.max(1, notes / c),
        noiseVariance: (2 * scale.message ** 2 * (1 + m * m)) / (notes * notes),
      };
      // By person: the mean of authors' own shares; the Bernoulli bound p(1−p)/m for means of
      // [0, 1] values is conservative.
      const p = (cell.person[stat] + noise(`person:${name}`, cell.person[stat], scale.person)) / authors;
      const byPersonSample: ShareSample = {
        mean: p,
        units: authors,
        effectiveSize: authors,
        noiseVariance: (2 * scale.person ** 2 + 2 * scale.authors ** 2 * p * p) / (authors * authors),
      };
      person.set(targetKey(t), byPersonSample);
      return [
        t.name,
        {
          byMessage: views({ model, estimator: options.estimator }, t as Target, messageMix, message, () => message),
          byPerson: views(
            { model, estimator: options.estimator },
            t as Target,
            personMix,
            byPersonSample,
            () => byPersonSample,
          ),
        },
      ];
    });
    personSamples.set(key, person);
    return {
      ...base,
      suppressed: false,
      notes: Math.round(notes),
      authors,
      groups: Object.fromEntries(estimates),
      labels: {},
    };
  };

  const windows = [...input.windows].sort((a, b) => (a.key < b.key ? -1 : 1));
  const keys = windows.map((w) => w.key);
  const campaign = options.window === "campaign";
  const reports = campaign
    ? input.total
      ? [publish(input.total, CAMPAIGN_WINDOW)]
      : []
    : windows.map((w) => publish(w, w.key));
  const total = campaign ? null : input.total ? publish(input.total, TOTAL_KEY) : null;
  return {
    title: options.title,
    modelVersion: model.version,
    estimator: options.estimator,
    window: options.window,
    k,
    noise: release,
    generatedAt: options.generatedAt.toISOString(),
    groups: groups.map((g) => g.name),
    labels: [],
    windows: reports,
    total,
    weakSignals: options.window === "week" ? weakSignalsOf(keys, personSamples) : null,
  };
}
