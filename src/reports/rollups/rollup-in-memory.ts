// src/reports/rollups/: rollup storage: the per window × author × target sums, in memory, per note write, or rebuilt in SQL.
// Rollups: the sufficient statistics of a report, per window × author × target.
// They are additive (integers only), so the database can maintain them incrementally
// with `INSERT … ON CONFLICT (window_key, author_id, kind, target) DO UPDATE SET
// notes = notes + excluded.notes, over = over + excluded.over, prob_micros = prob_micros + excluded.prob_micros`
// from `rollupIncrements(note)`, and `reportFromRollups` gives the same report as recomputation.

import { scoreNote, type ModelInfo, type TargetKind } from "../model/model-info";
import { windowKey, type WindowSpec } from "./windows";

export interface ScoredRow {
  noteId: string;
  authorId: string;
  campaignId: string | null;
  communityId: string;
  publishedAt: Date;
  scores: Readonly<Record<string, number>>;
  /** The note's language tag (BCP 47) or null: which measured error rates apply to it. */
  language?: string | null;
}

export interface RollupRow {
  window: string;
  authorId: string;
  kind: TargetKind;
  target: string;
  /** Notes by this author in this window (the same for every target of the window × author). */
  notes: number;
  /** Of those, notes over the target's threshold. */
  over: number;
  /** Sum of the target's probabilities over those notes, in millionths (PROB_SCALE). */
  probMicros: number;
}

/** What one note adds to the rollups: one row per target with notes = 1. */
export function rollupIncrements(row: ScoredRow, model: ModelInfo, spec: WindowSpec): RollupRow[] {
  const window = windowKey(row.publishedAt, spec);
  return scoreNote(row.scores, model, row.language).map((s) => ({
    window,
    authorId: row.authorId,
    kind: s.kind,
    target: s.name,
    notes: 1,
    over: s.over ? 1 : 0,
    probMicros: s.probMicros,
  }));
}

const rollupKey = (r: RollupRow) => JSON.stringify([r.window, r.authorId, r.kind, r.target]);

/** Sums rows with the same (window, authorId, kind, target); output sorted by that key. */
export function mergeRollups(rows: Iterable<RollupRow>): RollupRow[] {
  const merged = new Map<string, RollupRow>();
  for (const r of rows) {
    const key = rollupKey(r);
    const acc = merged.get(key);
    if (acc) {
      acc.notes += r.notes;
      acc.over += r.over;
      acc.probMicros += r.probMicros;
    } else {
      merged.set(key, { ...r });
    }
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

export function rowsToRollups(rows: readonly ScoredRow[], model: ModelInfo, spec: WindowSpec): RollupRow[] {
  const seen = new Set<string>();
  for (const row of rows) {
    // A note counted twice would silently inflate every share; SQL upserts must be idempotent per note too.
    if (seen.has(row.noteId)) throw new Error(`duplicate noteId ${row.noteId}`);
    seen.add(row.noteId);
  }
  return mergeRollups(rows.flatMap((row) => rollupIncrements(row, model, spec)));
}
