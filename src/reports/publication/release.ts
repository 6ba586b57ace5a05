// What a differentially private report is computed from: per window and target, sums of each
// author's contribution clipped to at most c notes, read from the rollups and aggregated in
// SQL (no per-author row leaves the database). Only closed windows are read: a day or week is
// released once it has ended (plus the accepted clock skew of `published`, which store time
// clamps), so its figures never move afterwards and cannot be topped up or differenced against
// a later read. A campaign's whole-range figures cover its closed days.

import { sql } from "drizzle-orm";
import { query, type Executor } from "../rollups/db";
import { PROB_SCALE, targetsOf, type ModelInfo } from "../model/model-info";
import type { Statistic } from "../statistics/estimators";
import { PUBLISHED_SKEW_MS, windowKey, type WindowSpec } from "../rollups/windows";

/** The released window spec whose rows make up a report of `spec` (a campaign report sums its days). */
export const rowSpecOf = (spec: WindowSpec): "day" | "week" => (spec === "week" ? "week" : "day");

/** Windows with a key before this one have ended, skew included, at `now`. */
export const closedBefore = (spec: "day" | "week", now: Date) =>
  windowKey(new Date(now.getTime() - PUBLISHED_SKEW_MS), spec);

/** Sums over one window's authors, each author's notes clipped to at most c (groups only, in target order). */
export interface ClippedTarget {
  /** Σ_a min(n_a, c) */
  notes: number;
  /** Per statistic: Σ_a y_a·min(n_a, c)/n_a (by message) and Σ_a y_a/n_a (by person), y in [0, n_a]. */
  message: Record<Statistic, number>;
  person: Record<Statistic, number>;
}

export interface ClippedWindow {
  key: string;
  authors: number;
  targets: ClippedTarget[];
  /**
   * Per rate language (model.languages), the same clipped sums of "this note is in that
   * language": what the window's language composition, and so its mix of error rates, is read from.
   */
  languages: Record<string, ClippedTarget>;
}

export const TOTAL = "total";

/**
 * Clipped sums of a scope's closed windows of `rowSpec` and of their union (key "total", each
 * author clipped once over the whole range). Exact decimals (SQL numeric), so the same data always
 * gives the same sums, whatever the order rows are read in.
 */
export async function loadClippedWindows(
  db: Executor,
  model: ModelInfo,
  scopeId: string,
  rowSpec: "day" | "week",
  now: Date,
  maxNotes: number,
): Promise<ClippedWindow[]> {
  const c = sql.raw(String(Math.trunc(maxNotes)));
  // Only the groups are released (private.ts), and they come first in the target order.
  const all = targetsOf(model);
  const size = all.filter((t) => t.kind === "group").length;
  // then the language targets, which come last (model-info.ts): notes per language, for the rates' mix
  const firstLanguage = all.findIndex((t) => t.kind === "language") + 1;
  const languageOf = new Map(all.map((t, i) => [i + 1, t] as const).filter(([, t]) => t.kind === "language"));
  const groups = sql.raw(String(size));
  const languagesFrom = sql.raw(String(firstLanguage > 0 ? firstLanguage : all.length + 1));
  const rows = await query<{
    window_key: string;
    i: number;
    authors: number;
    notes: string;
    om: string;
    op: string;
    pm: string;
    pp: string;
  }>(
    db,
    sql`
    with u as (
      select a.window_key, a.author_iri, a.notes, x.i, x.o::numeric as o, x.p::numeric as p
      from report_author_windows a cross join lateral unnest(a.over, a.prob) with ordinality as x(o, p, i)
      where (x.i <= ${groups} or x.i >= ${languagesFrom}) and a.model = ${model.version} and a.scope_id = ${scopeId} and a.spec = ${rowSpec}
        and a.window_key < ${closedBefore(rowSpec, now)} and a.notes > 0
    ), per as (
      select window_key, author_iri, i, notes::numeric as notes, o, p from u
      union all
      select ${TOTAL}, author_iri, i, sum(notes), sum(o), sum(p) from u group by author_iri, i
    )
    select window_key, i::int as i, count(*)::int as authors, sum(least(notes, ${c}))::text as notes,
      sum(o * least(notes, ${c}) / notes)::text as om, sum(o / notes)::text as op,
      sum(p * least(notes, ${c}) / notes)::text as pm, sum(p / notes)::text as pp
    from per group by window_key, i order by window_key, i`,
  );
  const windows = new Map<string, ClippedWindow>();
  for (const r of rows) {
    const w = windows.get(r.window_key) ?? {
      key: r.window_key,
      authors: Number(r.authors),
      targets: new Array<ClippedTarget>(size),
      languages: {},
    };
    windows.set(r.window_key, w);
    const cell: ClippedTarget = {
      notes: Number(r.notes),
      message: { over: Number(r.om), prob: Number(r.pm) / PROB_SCALE },
      person: { over: Number(r.op), prob: Number(r.pp) / PROB_SCALE },
    };
    const language = languageOf.get(Number(r.i));
    if (language) w.languages[language.name] = cell;
    else w.targets[Number(r.i) - 1] = cell;
  }
  for (const w of windows.values()) {
    if (w.targets.filter(Boolean).length !== size)
      throw new Error(`rollups of window ${w.key} do not cover every target`);
  }
  return [...windows.values()];
}
