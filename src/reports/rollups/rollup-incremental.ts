// Incremental rollups, called by the note write path (src/domain/notes.ts) inside the same
// transaction as the note's insert, update or delete. For each scope × window spec the note
// touches one author-window row; the author's old contribution to the window's sufficient
// statistics is subtracted and the new one added, so report_window_stats always equals a
// recomputation (sums.ts explains why the sums are exact integers).

import { sql } from "drizzle-orm";
import type { Audience } from "../../domain/audience";
import { query, scopesOf, SPECS, type Executor } from "./db";
import { countsInReports } from "./reportable";
import { scoreNote, targetsOf, type ModelInfo } from "../model/model-info";
import { combineCells, contributionOf, type StatSums, type TargetCell } from "../statistics/sums";
import { windowKey } from "./windows";

/** A stored note as the rollups see it (scores as stored, in the model's label order). */
export interface RolledNote {
  communityId: string;
  campaignId: string | null;
  authorIri: string;
  published: Date;
  scores: readonly number[] | null;
  model: string | null;
  audience: Audience;
  /** Hidden by a moderator: withdrawn from the figures (reportable.ts). */
  hidden: boolean;
  /** Language tag: the language targets count notes per language (see model-info.ts). */
  language: string | null;
}

export interface NoteChange {
  note: RolledNote;
  /** +1 when the note (or its new version) arrives, −1 when it (or its old version) goes. */
  sign: 1 | -1;
}

interface Tallies {
  notes: number;
  over: number[];
  prob: number[];
}

interface Key {
  scopeId: string;
  communityId: string;
  campaignId: string | null;
  spec: string;
  windowKey: string;
  authorIri: string;
}

const keyId = (k: Key) => JSON.stringify([k.scopeId, k.spec, k.windowKey, k.authorIri]);

/**
 * Only reportable notes scored by the current model are counted; others wait for a rebuild
 * under their model. Hiding a note is an update whose new version does not count.
 */
const counts = (note: RolledNote, model: ModelInfo): note is RolledNote & { scores: readonly number[] } =>
  note.scores !== null && note.model === model.version && countsInReports(note);

function increments(note: RolledNote & { scores: readonly number[] }, model: ModelInfo) {
  if (note.scores.length !== model.labels.length)
    throw new Error(`note scores: ${note.scores.length} values, model has ${model.labels.length} labels`);
  const scores = Object.fromEntries(model.labels.map((l, i) => [l, note.scores[i]]));
  const per = scoreNote(scores, model, note.language);
  return { over: per.map((t) => (t.over ? 1 : 0)), prob: per.map((t) => t.probMicros) };
}

/** Net change per author-window, so an edit within one window is applied once. */
function deltas(changes: readonly NoteChange[], model: ModelInfo): Map<string, { key: Key; delta: Tallies }> {
  const size = targetsOf(model).length;
  const out = new Map<string, { key: Key; delta: Tallies }>();
  for (const { note, sign } of changes) {
    if (!counts(note, model)) continue;
    const inc = increments(note, model);
    for (const scope of scopesOf(note)) {
      for (const spec of SPECS) {
        const key: Key = { ...scope, spec, windowKey: windowKey(note.published, spec), authorIri: note.authorIri };
        const id = keyId(key);
        const entry = out.get(id) ?? {
          key,
          delta: { notes: 0, over: new Array(size).fill(0), prob: new Array(size).fill(0) },
        };
        out.set(id, entry);
        entry.delta.notes += sign;
        for (const [i, v] of inc.over.entries()) entry.delta.over[i] += sign * v;
        for (const [i, v] of inc.prob.entries()) entry.delta.prob[i] += sign * v;
      }
    }
  }
  return out;
}

const KEY_COLUMNS = sql`scope_id uuid, spec text, window_key text, author_iri text`;
const keyJoin = sql`a.scope_id = r.scope_id and a.spec = r.spec and a.window_key = r.window_key and a.author_iri = r.author_iri`;
const json = (rows: unknown[]) => JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? v.toString() : v));

const statColumns = (prefix: "over" | "prob", s: StatSums) => ({
  [`${prefix}_sum`]: s.sum,
  [`${prefix}_sq`]: s.sq,
  [`${prefix}_x_notes`]: s.xNotes,
  [`${prefix}_share`]: s.share,
  [`${prefix}_share_sq`]: s.shareSq,
});

/** Applies note changes to the rollups of the current model; call inside the note's transaction. */
export async function applyNoteChanges(tx: Executor, model: ModelInfo, changes: readonly NoteChange[]): Promise<void> {
  const entries = [...deltas(changes, model).values()]
    .filter((e) => e.delta.notes !== 0 || e.delta.over.some((v) => v !== 0) || e.delta.prob.some((v) => v !== 0))
    .sort((a, b) => (keyId(a.key) < keyId(b.key) ? -1 : 1)); // one lock order for every writer
  if (entries.length === 0) return;
  const size = targetsOf(model).length;
  const keys = json(
    entries.map(({ key }) => ({
      scope_id: key.scopeId,
      community_id: key.communityId,
      campaign_id: key.campaignId,
      spec: key.spec,
      window_key: key.windowKey,
      author_iri: key.authorIri,
    })),
  );

  // Create missing rows first, so that FOR UPDATE below locks them too (two first notes of one
  // author in one window, arriving at once, must not both start from zero).
  await tx.execute(sql`
    insert into report_author_windows (model, scope_id, community_id, campaign_id, spec, window_key, author_iri, notes, over, prob)
    select ${model.version}, r.scope_id, r.community_id, r.campaign_id, r.spec, r.window_key, r.author_iri, 0,
           array_fill(0, array[${size}::int]), array_fill(0::bigint, array[${size}::int])
    from json_to_recordset(${keys}::json) as r(${KEY_COLUMNS}, community_id uuid, campaign_id uuid)
    on conflict do nothing`);
  const rows = await query<{
    scope_id: string;
    spec: string;
    window_key: string;
    author_iri: string;
    notes: number;
    over: string;
    prob: string;
  }>(
    tx,
    sql`
    select a.scope_id::text as scope_id, a.spec, a.window_key, a.author_iri, a.notes,
           array_to_json(a.over)::text as over, array_to_json(a.prob)::text as prob
    from report_author_windows a join json_to_recordset(${keys}::json) as r(${KEY_COLUMNS}) on ${keyJoin}
    where a.model = ${model.version}
    order by a.scope_id, a.spec, a.window_key, a.author_iri
    for update of a`,
  );
  const old = new Map(
    rows.map((r) => [
      keyId({ scopeId: r.scope_id, spec: r.spec, windowKey: r.window_key, authorIri: r.author_iri } as Key),
      { notes: Number(r.notes), over: JSON.parse(r.over) as number[], prob: JSON.parse(r.prob) as number[] },
    ]),
  );

  const updates: object[] = [];
  const stats = new Map<string, { key: Key; target: number; cell: TargetCell }>();
  for (const { key, delta } of entries) {
    const before = old.get(keyId(key));
    if (!before) throw new Error(`rollup row ${keyId(key)} vanished`);
    const after: Tallies = {
      notes: before.notes + delta.notes,
      over: before.over.map((v, i) => v + delta.over[i]),
      prob: before.prob.map((v, i) => v + delta.prob[i]),
    };
    if (after.notes < 0 || after.over.some((v) => v < 0 || v > after.notes) || after.prob.some((v) => v < 0)) {
      throw new Error(`rollup row ${keyId(key)} would become inconsistent: removing a note it never counted`);
    }
    updates.push({
      scope_id: key.scopeId,
      spec: key.spec,
      window_key: key.windowKey,
      author_iri: key.authorIri,
      notes: after.notes,
      over: after.over,
      prob: after.prob,
    });
    for (let i = 0; i < size; i++) {
      const tally = (t: Tallies) => ({ notes: t.notes, over: t.over[i], probMicros: t.prob[i] });
      const change = combineCells(contributionOf(tally(after)), contributionOf(tally(before)), -1n);
      const id = JSON.stringify([key.scopeId, key.spec, key.windowKey, i]);
      const acc = stats.get(id);
      stats.set(id, { key, target: i, cell: acc ? combineCells(acc.cell, change) : change });
    }
  }

  await tx.execute(sql`
    update report_author_windows a set notes = r.notes, over = r.over, prob = r.prob
    from json_to_recordset(${json(updates)}::json) as r(${KEY_COLUMNS}, notes int, over int[], prob bigint[])
    where a.model = ${model.version} and ${keyJoin}`);
  await tx.execute(sql`
    delete from report_author_windows a using json_to_recordset(${keys}::json) as r(${KEY_COLUMNS})
    where a.model = ${model.version} and ${keyJoin} and a.notes = 0`);

  const statRows = [...stats.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, { key, target, cell }]) => ({
      scope_id: key.scopeId,
      community_id: key.communityId,
      campaign_id: key.campaignId,
      spec: key.spec,
      window_key: key.windowKey,
      target,
      authors: cell.authors,
      notes: cell.notes,
      notes_sq: cell.notesSq,
      ...statColumns("over", cell.over),
      ...statColumns("prob", cell.prob),
    }));
  await tx.execute(sql`
    insert into report_window_stats as s (model, scope_id, community_id, campaign_id, spec, window_key, target, authors, notes, notes_sq,
      over_sum, over_sq, over_x_notes, over_share, over_share_sq, prob_sum, prob_sq, prob_x_notes, prob_share, prob_share_sq)
    select ${model.version}, r.* from json_to_recordset(${json(statRows)}::json) as r(
      scope_id uuid, community_id uuid, campaign_id uuid, spec text, window_key text, target int, authors int, notes bigint, notes_sq numeric,
      over_sum numeric, over_sq numeric, over_x_notes numeric, over_share numeric, over_share_sq numeric,
      prob_sum numeric, prob_sq numeric, prob_x_notes numeric, prob_share numeric, prob_share_sq numeric)
    on conflict (model, scope_id, spec, window_key, target) do update set
      authors = s.authors + excluded.authors, notes = s.notes + excluded.notes, notes_sq = s.notes_sq + excluded.notes_sq,
      over_sum = s.over_sum + excluded.over_sum, over_sq = s.over_sq + excluded.over_sq, over_x_notes = s.over_x_notes + excluded.over_x_notes,
      over_share = s.over_share + excluded.over_share, over_share_sq = s.over_share_sq + excluded.over_share_sq,
      prob_sum = s.prob_sum + excluded.prob_sum, prob_sq = s.prob_sq + excluded.prob_sq, prob_x_notes = s.prob_x_notes + excluded.prob_x_notes,
      prob_share = s.prob_share + excluded.prob_share, prob_share_sq = s.prob_share_sq + excluded.prob_share_sq`);
}
