// Report assembly: sufficient statistics per window (sums.ts) → public Report.
// Two sources give the same statistics, exactly: the database rollups (rollup-incremental.ts) and a
// recomputation from raw rows (reportFromRows: rows → per-author rollups → sums). Per-author
// tallies never leave this layer; the Report carries aggregates only, after suppression
// (privacy.ts). This is the exact path (ENSEMBLE_REPORT_EPSILON=off, for evaluation); the public
// default is the differentially private path of private.ts, which shares the types and helpers here.

import {
  adjustedClassifyAndCount,
  classifyAndCount,
  probabilisticAdjustedClassifyAndCount,
  sampleByMessage,
  sampleByPerson,
  type Estimate,
  type ShareSample,
  type Statistic,
} from "../statistics/estimators";
import { compositionOf, mixedRates, type Composition } from "../statistics/language-mix";
import {
  PROB_SCALE,
  reportedTargetsOf,
  targetsOf,
  validateModel,
  type ModelInfo,
  type Target,
} from "../model/model-info";
import { assertK, MIN_K, suppressCells, type Suppressed } from "./privacy";
import { rowsToRollups, type RollupRow, type ScoredRow } from "../rollups/rollup-in-memory";
import { cellOf, type AuthorTally, type TargetCell } from "../statistics/sums";
import {
  detectWeakSignals,
  WEAK_SIGNAL_TARGETS,
  type SignalName,
  type WeakSignal,
  type WeekShare,
} from "../statistics/weak-signals";
import { windowBounds, type WindowSpec } from "../rollups/windows";

export type AdjustedEstimator = "acc" | "pacc";

/**
 * What a report publishes unless the reader asks for the other: chosen on measured error and
 * interval coverage (npm run report:eval, models/report-eval.json; see the methodology page).
 */
export const DEFAULT_ESTIMATOR: AdjustedEstimator = "pacc";

export interface ReportOptions {
  window: WindowSpec;
  estimator: AdjustedEstimator;
  /** Stamped into the report as given (never the clock), so reports are reproducible. */
  generatedAt: Date;
  /** Scope shown on pages (community or campaign title); untrusted text, escaped by the renderers. */
  title: string;
  /** Minimum distinct authors per published cell; default and floor MIN_K (11). */
  k?: number;
}

export interface ViewEstimates {
  /** Classify and count (for "pacc", still the share over threshold, for comparison). */
  cc: Estimate;
  /** The report's estimator (ACC or PACC), or its documented fallback. */
  adjusted: Estimate;
}

export interface TargetEstimates {
  byMessage: ViewEstimates | Suppressed;
  byPerson: ViewEstimates;
}

interface WindowBase {
  /** Window key ("YYYY-MM-DD" day or week Monday, "all" for a campaign, "total" for the whole range). */
  key: string;
  start: string | null;
  end: string | null;
}

export interface PublishedWindow extends WindowBase {
  suppressed: false;
  /** Notes; under differential privacy, the noisy count of notes counted (at most c per author). */
  notes: number | Suppressed;
  /** Distinct authors (noisy, and at least k, under differential privacy). */
  authors: number;
  groups: Record<string, TargetEstimates>;
  labels: Record<string, TargetEstimates>;
}

export type SuppressedWindow = WindowBase & Suppressed;

export type WindowReport = PublishedWindow | SuppressedWindow;

export interface Report {
  title: string;
  modelVersion: string;
  estimator: AdjustedEstimator;
  window: WindowSpec;
  k: number;
  /** The differential-privacy release (private.ts); null when figures are exact (evaluation only). */
  noise: NoiseRelease | null;
  generatedAt: string;
  /** Group and label names in display order. */
  groups: string[];
  labels: string[];
  windows: WindowReport[];
  /** The whole range (day/week reports); null for a campaign report, whose single window is the whole range. */
  total: WindowReport | null;
  /** Weekly reports only; null otherwise. */
  weakSignals: WeakSignal[] | null;
}

/**
 * Laplace noise of a release. The budget ε covers one window (a day, a week, a whole range) for one
 * estimator: a person who wrote in several windows is covered by the sum of their budgets.
 */
export interface NoiseRelease {
  mechanism: "laplace";
  epsilon: number;
  /** Noisy statistics one author can influence in a window: authors, notes, and two per group. */
  statisticsPerWindow: number;
  epsilonPerStatistic: number;
  /** At most this many notes of one author count in one window (their by-message weight). */
  maxNotesPerAuthor: number;
  /** Laplace scale b of the author count, of the clipped note count and by-message sums (c/ε_i), of by-person sums (1/ε_i). */
  scale: { authors: number; message: number; person: number };
}

export const TOTAL_KEY = "total";

/** author → target key → tally */
type Authors = Map<string, Map<string, AuthorTally>>;

export const targetKey = (t: Target) => `${t.kind}:${t.name}`;

function tallyByWindow(rollups: readonly RollupRow[], model: ModelInfo): Map<string, Authors> {
  const targets = targetsOf(model);
  const known = new Set(targets.map(targetKey));
  const windows = new Map<string, Authors>();
  for (const r of rollups) {
    const key = targetKey({ kind: r.kind, name: r.target });
    if (!known.has(key)) throw new Error(`rollup for unknown target ${key}`);
    const ok =
      [r.notes, r.over, r.probMicros].every(Number.isInteger) &&
      r.notes >= 1 &&
      r.over >= 0 &&
      r.over <= r.notes &&
      r.probMicros >= 0 &&
      r.probMicros <= r.notes * PROB_SCALE;
    if (!ok) throw new Error(`inconsistent rollup ${JSON.stringify(r)}`);
    let authors = windows.get(r.window);
    if (!authors) windows.set(r.window, (authors = new Map()));
    let tallies = authors.get(r.authorId);
    if (!tallies) authors.set(r.authorId, (tallies = new Map()));
    if (tallies.has(key)) throw new Error(`duplicate rollup ${r.window}/${r.authorId}/${key}; merge rollups first`);
    tallies.set(key, { notes: r.notes, over: r.over, probMicros: r.probMicros });
  }
  for (const [window, authors] of windows) {
    for (const [author, tallies] of authors) {
      // Every note contributes to every target, so a partial or uneven set means a broken rollup job.
      const counts = new Set([...tallies.values()].map((t) => t.notes));
      if (tallies.size !== known.size || counts.size !== 1) {
        throw new Error(`rollups of ${window}/${author} do not cover every target with the same note count`);
      }
    }
  }
  return windows;
}

/** Sums each author's tallies across windows (rollups are additive per author). */
function mergeAuthors(windows: Iterable<Authors>): Authors {
  const merged: Authors = new Map();
  for (const authors of windows) {
    for (const [author, tallies] of authors) {
      const into = merged.get(author) ?? new Map<string, AuthorTally>();
      merged.set(author, into);
      for (const [key, t] of tallies) {
        const acc = into.get(key) ?? { notes: 0, over: 0, probMicros: 0 };
        into.set(key, {
          notes: acc.notes + t.notes,
          over: acc.over + t.over,
          probMicros: acc.probMicros + t.probMicros,
        });
      }
    }
  }
  return merged;
}

/** Sufficient statistics of one window: one cell per target, in targetsOf order. */
export interface WindowSums {
  key: string;
  targets: readonly TargetCell[];
}

/** What a report needs, whichever store it comes from. */
export interface ReportInput {
  /** Windows of the report's spec with at least one author, any order. */
  windows: readonly WindowSums[];
  /** The whole range (the scope's "campaign" window) for day/week reports; ignored for campaign reports. */
  total: WindowSums | null;
  /** Distinct author ids of a window; only ever asked for windows with fewer than k authors. */
  authorIdsOf(windowKey: string): Iterable<string>;
}

const sumsOf = (authors: Authors, key: string, targets: readonly Target[]): WindowSums => ({
  key,
  targets: targets.map((t) => cellOf([...authors.values()].map((tallies) => tallies.get(targetKey(t))!))),
});

/** Per-author rollups → sufficient statistics: what the database maintains incrementally. */
export function inputFromRollups(rollups: readonly RollupRow[], model: ModelInfo, spec: WindowSpec): ReportInput {
  const targets = targetsOf(model);
  const byWindow = tallyByWindow(rollups, model);
  return {
    windows: [...byWindow].map(([key, authors]) => sumsOf(authors, key, targets)),
    total: spec === "campaign" ? null : sumsOf(mergeAuthors(byWindow.values()), TOTAL_KEY, targets),
    authorIdsOf: (key) => byWindow.get(key)?.keys() ?? [],
  };
}

interface Context {
  model: ModelInfo;
  targets: Target[];
  estimator: AdjustedEstimator;
  k: number;
}

/**
 * An adjusted share is a rescaled unadjusted one (divided by tpr − fpr ≤ 1), so it is never more
 * certain: when clipping at 0% or 100% made its interval narrower than the unadjusted share's
 * (a "0.0% (95% CI 0.0%–0.0%)"), it is widened to that width from the bound it was clipped to.
 */
export function noNarrowerThan(adjusted: Estimate, unadjusted: Estimate): Estimate {
  const width = unadjusted.high - unadjusted.low;
  const pad = (width - (adjusted.high - adjusted.low)) / 2;
  if (!(pad > 0)) return adjusted;
  let low = adjusted.low - pad;
  let high = adjusted.high + pad;
  if (low < 0) [low, high] = [0, high - low];
  if (high > 1) [low, high] = [Math.max(0, low - (high - 1)), 1];
  return { ...adjusted, low, high };
}

/** Both estimates of one target in one view, from its samples (exact or noisy). */
export function views(
  ctx: Pick<Context, "model" | "estimator">,
  target: Target,
  composition: Composition,
  over: ShareSample,
  sample: (stat: Statistic) => ShareSample,
): ViewEstimates {
  const rates = mixedRates(ctx.model, target, composition);
  const cc = classifyAndCount(over);
  const adjusted =
    ctx.estimator === "acc"
      ? adjustedClassifyAndCount(over, rates, ctx.model.devSize)
      : probabilisticAdjustedClassifyAndCount(sample("prob"), rates, ctx.model.devSize);
  return { cc, adjusted: noNarrowerThan(adjusted, ctx.estimator === "acc" ? cc : classifyAndCount(sample("prob"))) };
}

interface PublishedCell {
  body: Omit<PublishedWindow, keyof WindowBase>;
  /** By-person CC samples per target key, for the weak-signal test. */
  personOver: Map<string, ShareSample>;
}

function publishCell(cells: readonly TargetCell[], ctx: Context): PublishedCell {
  const cellOfTarget = new Map(ctx.targets.map((t, i) => [targetKey(t), cells[i]]));
  const cell = (t: Target) => cellOfTarget.get(targetKey(t))!;
  const authors = cells[0].authors;
  const person = (t: Target, stat: Statistic): ShareSample => sampleByPerson(cell(t), stat);
  const personOver = new Map<string, ShareSample>();
  const personMix = compositionOf(ctx.model, cell, "person");
  const messageMix = compositionOf(ctx.model, cell, "message");
  const estimates = reportedTargetsOf(ctx.model).map((t): [Target, TargetEstimates] => {
    const over = person(t, "over");
    personOver.set(targetKey(t), over);
    const byPerson = views(ctx, t, personMix, over, (stat) => person(t, stat));
    const message = (stat: Statistic) => sampleByMessage(cell(t), stat);
    const byMessage = views(ctx, t, messageMix, message("over"), message);
    return [t, { byMessage, byPerson }];
  });
  const section = (kind: Target["kind"]) =>
    Object.fromEntries(estimates.filter(([t]) => t.kind === kind).map(([t, e]) => [t.name, e]));
  const notes = Number(cells[0].notes);
  return {
    body: { suppressed: false, notes, authors, groups: section("group"), labels: section("label") },
    personOver,
  };
}

/** The report from sufficient statistics: the single code path behind every page, JSON and CSV. */
export function reportFromStats(input: ReportInput, model: ModelInfo, options: ReportOptions): Report {
  validateModel(model);
  const k = assertK(options.k ?? MIN_K);
  const targets = targetsOf(model);
  const byKey = new Map(input.windows.filter((w) => w.targets[0].authors > 0).map((w) => [w.key, w]));
  for (const w of byKey.values()) {
    if (w.targets.length !== targets.length)
      throw new Error(`window ${w.key}: ${w.targets.length} targets, model has ${targets.length}`);
  }
  const keys = [...byKey.keys()].sort();
  const hasTotal = options.window !== "campaign";

  const cells: WindowSums[] = keys.map((key) => byKey.get(key)!);
  if (hasTotal) {
    if (!input.total && keys.length) throw new Error("a day/week report needs the whole-range statistics");
    cells.push({ key: TOTAL_KEY, targets: input.total?.targets ?? [] });
  }
  const authorsOf = (c: WindowSums) => c.targets[0]?.authors ?? 0;
  const suppressed = suppressCells(
    cells.map((c) => ({ id: c.key, authors: authorsOf(c) })),
    hasTotal ? [{ total: TOTAL_KEY, parts: keys }] : [],
    k,
    (id) => input.authorIdsOf(id),
  );

  const ctx: Context = { model, targets, estimator: options.estimator, k };
  const bounds = (id: string) => boundsOf(id, keys, options.window);
  const personOver = new Map<string, Map<string, ShareSample>>();
  const reports = cells.map((c): WindowReport => {
    const base = { key: c.key, ...bounds(c.key) };
    const hidden = suppressed.get(c.key);
    if (hidden) return { ...base, ...hidden };
    const cell = publishCell(c.targets, ctx);
    personOver.set(c.key, cell.personOver);
    return { ...base, ...cell.body };
  });

  const weakSignals = options.window === "week" ? weakSignalsOf(keys, personOver) : null;

  return {
    title: options.title,
    modelVersion: model.version,
    estimator: options.estimator,
    window: options.window,
    k,
    noise: null,
    generatedAt: options.generatedAt.toISOString(),
    groups: Object.keys(model.groups),
    labels: [...model.labels],
    windows: hasTotal ? reports.slice(0, -1) : reports,
    total: hasTotal ? reports[reports.length - 1] : null,
    weakSignals,
  };
}

/** A window's [start, end); the whole range spans the report's windows. */
export function boundsOf(id: string, keys: readonly string[], spec: WindowSpec) {
  if (id !== TOTAL_KEY) return windowBounds(id, spec);
  return keys.length
    ? { start: windowBounds(keys[0], spec).start, end: windowBounds(keys[keys.length - 1], spec).end }
    : { start: null, end: null };
}

/** Weak signals of a weekly report, from each published week's by-person CC samples (target key → sample). */
export function weakSignalsOf(
  weeks: readonly string[],
  personOver: ReadonlyMap<string, ReadonlyMap<string, ShareSample>>,
): WeakSignal[] {
  return detectWeakSignals(
    Object.fromEntries(
      (Object.keys(WEAK_SIGNAL_TARGETS) as SignalName[]).map((signal) => [
        signal,
        weeks.map((week) => ({
          week,
          sample: personOver.get(week)?.get(targetKey(WEAK_SIGNAL_TARGETS[signal])) ?? null,
        })),
      ]),
    ) as Record<SignalName, WeekShare[]>,
  );
}

export function reportFromRollups(rollups: readonly RollupRow[], model: ModelInfo, options: ReportOptions): Report {
  return reportFromStats(inputFromRollups(rollups, model, options.window), model, options);
}

/** Recomputation from raw rows: exactly rows → rollups → sufficient statistics → report. */
export function reportFromRows(rows: readonly ScoredRow[], model: ModelInfo, options: ReportOptions): Report {
  return reportFromRollups(rowsToRollups(rows, model, options.window), model, options);
}
