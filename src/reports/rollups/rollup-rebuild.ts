// Bulk (re)build of the rollups from inbound_notes in SQL: after a model change, for a
// restored database, and for the benchmark. It computes exactly what the write path
// (rollup-incremental.ts) maintains: the same float8 operations on the stored float32 scores as
// scoreNote (model-info.ts), the same UTC window keys as windows.ts, and the same integer
// sums as sums.ts; a test checks both paths give identical tables.

import { sql, type SQL } from "drizzle-orm";
import { query, type Executor } from "./db";
import { RATE_LANGUAGE_PATTERNS, type RateLanguage } from "../../emotion";
import { targetsOf, type ModelInfo } from "../model/model-info";
import { PROB_SCALE } from "../model/model-info";
import { recalibratedSql, recalibrationFingerprint } from "../model/recalibration";
import { COUNTS_IN_REPORTS_SQL } from "./reportable";
import { SHARE_SCALE } from "../statistics/sums";

/** A double as a SQL float8 literal: JS's shortest round-trip text parses back to the same double. */
const float8 = (x: number) => sql.raw(`${String(x)}::float8`);

/** Per target: (over, micros) expressions on a note's stored scores `n.emotion_scores`. */
function targetExpressions(model: ModelInfo): { over: SQL; prob: SQL }[] {
  const score = (label: string) => `n.emotion_scores[${model.labels.indexOf(label) + 1}]::float8`;
  return targetsOf(model).map((t) => {
    if (t.kind === "language") {
      // The same pattern rateLanguageOf() reads in JavaScript (case-insensitive; no tag: no language).
      const pattern = RATE_LANGUAGE_PATTERNS[t.name as RateLanguage];
      const over = sql`coalesce(n.language ~* ${pattern}, false)::int`;
      return { over, prob: sql`(${over} * ${sql.raw(String(PROB_SCALE))})::bigint` };
    }
    const members = t.kind === "group" ? model.groups[t.name] : [t.name];
    const raw = members.length > 1 ? `greatest(${members.map(score).join(", ")})` : score(members[0]);
    const p = sql.raw(raw);
    const threshold = (t.kind === "group" ? model.groupRates : model.labelRates)[t.name].threshold;
    // A group's probability of a note in a language with recalibration maps is the mapped one, as in scoreNote.
    const mapped = Object.entries(model.languages?.recalibration ?? {}).flatMap(([lang, maps]) => {
      const map = t.kind === "group" ? maps?.[t.name] : undefined;
      if (!map) return [];
      const pattern = RATE_LANGUAGE_PATTERNS[lang as RateLanguage].replace(/'/g, "''");
      return [`when coalesce(n.language ~* '${pattern}', false) then ${recalibratedSql(map, raw)}`];
    });
    const prob = sql.raw(mapped.length > 0 ? `(case ${mapped.join(" ")} else ${raw} end)` : raw);
    return {
      over: sql`(${p} >= ${float8(threshold)})::int`,
      prob: sql`floor(${prob} * ${float8(PROB_SCALE)} + 0.5::float8)::bigint`,
    };
  });
}

const list = (items: SQL[]) => sql.join(items, sql`, `);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * Replaces the rollups of `model` (for one scope, or all) by a recomputation from the stored
 * notes. Run it in a transaction, or with writers stopped: notes stored meanwhile would be missed.
 */
export async function rebuildRollups(
  db: Executor,
  model: ModelInfo,
  scopeId?: string,
): Promise<{ authorWindows: number }> {
  const size = targetsOf(model).length;
  const exprs = targetExpressions(model);
  const inScope = (column: SQL) => (scopeId ? sql`and ${column} = ${scopeId}` : sql``);
  const noteScope = scopeId ? sql`and (n.community_id = ${scopeId} or n.campaign_id = ${scopeId})` : sql``;
  await db.execute(sql`delete from report_window_stats where model = ${model.version} ${inScope(sql`scope_id`)}`);
  await db.execute(sql`delete from report_author_windows where model = ${model.version} ${inScope(sql`scope_id`)}`);

  // 1. Author-days, from the notes (both scopes of every note).
  await db.execute(sql`
    insert into report_author_windows (model, scope_id, community_id, campaign_id, spec, window_key, author_iri, notes, over, prob)
    with scored as (
      select n.community_id, n.campaign_id, n.author_iri,
             to_char(n.published at time zone 'UTC', 'YYYY-MM-DD') as day,
             array[${list(exprs.map((e) => e.over))}] as over,
             array[${list(exprs.map((e) => e.prob))}] as prob
      from inbound_notes n
      where n.emotion_model = ${model.version} and n.emotion_scores is not null and ${COUNTS_IN_REPORTS_SQL} ${noteScope}
    ), scoped as (
      select community_id as scope_id, community_id, null::uuid as campaign_id, author_iri, day, over, prob from scored
      union all
      select campaign_id, community_id, campaign_id, author_iri, day, over, prob from scored where campaign_id is not null
    )
    select ${model.version}, scope_id, community_id, campaign_id, 'day', day, author_iri, count(*)::int,
           array[${list(range(size).map((i) => sql.raw(`sum(over[${i}])::int`)))}],
           array[${list(range(size).map((i) => sql.raw(`sum(prob[${i}])::bigint`)))}]
    from scoped ${scopeId ? sql`where scope_id = ${scopeId}` : sql``}
    group by scope_id, community_id, campaign_id, author_iri, day`);

  // 2. Author-weeks (ISO, Monday) and author-wholes, summed from the author-days.
  for (const [spec, key] of [
    ["week", sql`to_char(date_trunc('week', window_key::date), 'YYYY-MM-DD')`],
    ["campaign", sql`'all'`],
  ] as const) {
    await db.execute(sql`
      insert into report_author_windows (model, scope_id, community_id, campaign_id, spec, window_key, author_iri, notes, over, prob)
      select model, scope_id, community_id, campaign_id, ${spec}, ${key}, author_iri, sum(notes)::int,
             array[${list(range(size).map((i) => sql.raw(`sum(over[${i}])::int`)))}],
             array[${list(range(size).map((i) => sql.raw(`sum(prob[${i}])::bigint`)))}]
      from report_author_windows
      where model = ${model.version} and spec = 'day' ${inScope(sql`scope_id`)}
      group by model, scope_id, community_id, campaign_id, 6, author_iri`); // 6: the window key
  }

  // 3. Sufficient statistics per window × target (sums.ts), in int8 where it cannot overflow
  //    (q ≤ 10⁹, so q² < 2⁶³; sum(int8) accumulates exactly); y² of probabilities in numeric.
  const stat = (column: "over" | "prob", unit: number) => {
    const y = sql.raw(`u.${column === "over" ? "o" : "p"}::int8`);
    const q = sql`((2 * ${y} * ${sql.raw(String(SHARE_SCALE / BigInt(unit)))} + notes) / (2 * notes))`;
    const sq = column === "prob" ? sql`${y}::numeric * ${y}` : sql`${y} * ${y}`;
    return sql`sum(${y}), sum(${sq}), sum(${y} * notes), sum(${q}), sum(${q} * ${q})`;
  };
  await db.execute(sql`
    insert into report_window_stats (model, scope_id, community_id, campaign_id, spec, window_key, target, authors, notes, notes_sq,
      over_sum, over_sq, over_x_notes, over_share, over_share_sq, prob_sum, prob_sq, prob_x_notes, prob_share, prob_share_sq)
    select model, scope_id, community_id, campaign_id, spec, window_key, u.i - 1, count(*)::int, sum(notes), sum(notes::int8 * notes),
           ${stat("over", 1)}, ${stat("prob", PROB_SCALE)}
    from report_author_windows cross join lateral unnest(over, prob) with ordinality as u(o, p, i)
    where model = ${model.version} and notes > 0 ${inScope(sql`scope_id`)}
    group by model, scope_id, community_id, campaign_id, spec, window_key, u.i`);

  if (!scopeId) await recordFingerprint(db, model);
  const [{ count }] = await query<{ count: number }>(
    db,
    sql`
    select count(*)::int as count from report_author_windows where model = ${model.version} ${inScope(sql`scope_id`)}`,
  );
  return { authorWindows: Number(count) };
}

/** Where the recalibration fingerprint the rollups of a model version were written under is kept. */
const fingerprintKey = (model: ModelInfo) => `report-rollups/${encodeURIComponent(model.version)}/recalibration`;

/** After a whole rebuild (or on an empty table): every rollup of `model` is under its current maps. */
async function recordFingerprint(db: Executor, model: ModelInfo): Promise<void> {
  const fingerprint = recalibrationFingerprint(model.languages?.recalibration);
  await db.execute(sql`
    insert into kv (key, value) values (${fingerprintKey(model)}, to_jsonb(${fingerprint}::text))
    on conflict (key) do update set value = excluded.value, expires_at = null`);
}

/**
 * Rebuilds the rollups of `model` when they were written for another set of targets (a model
 * calibration that added per-language targets, say), or under other recalibration maps (a new
 * models/emotion-calibration.json changes what a French note adds): rows whose arrays do not have
 * one entry per target would otherwise break every later update, and rows under old maps would
 * mix two calibrations in one sum. Cheap when nothing is stale (two indexed probes).
 */
export async function rebuildStaleRollups(db: Executor, model: ModelInfo): Promise<boolean> {
  const size = targetsOf(model).length;
  const fingerprint = recalibrationFingerprint(model.languages?.recalibration);
  const [row] = await query<{ stale: boolean; written: string | null }>(
    db,
    sql`
    select exists (select 1 from report_author_windows where model = ${model.version} and cardinality(over) <> ${size}) as stale,
           (select value #>> '{}' from kv where key = ${fingerprintKey(model)}) as written`,
  );
  const [any] =
    row.written === fingerprint
      ? []
      : await query<{ one: number }>(
          db,
          sql`select 1 as one from report_author_windows where model = ${model.version} limit 1`,
        );
  const rebuild = row.stale || any !== undefined;
  if (rebuild) await rebuildRollups(db, model);
  else if (row.written !== fingerprint) await recordFingerprint(db, model);
  return rebuild;
}
