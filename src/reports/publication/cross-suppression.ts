// Complementary suppression across reports. One community publishes many overlapping figures:
// its own days, weeks and whole range, and the same for each of its campaigns. Suppressing a
// small cell inside one report is not enough when another report publishes a sum it belongs to:
// a week minus its published days isolates a suppressed day; the community's window minus its
// campaigns' windows isolates the notes outside campaigns. So suppression is decided once, over
// every closed cell of the community and its campaigns, with every such sum as a relation, and
// every report reads its cells' decisions from that one result (privacy.ts does the solving).

import { sql } from "drizzle-orm";
import { query, type Executor } from "../rollups/db";
import type { ModelInfo } from "../model/model-info";
import { suppressCells, type AdditiveRelation, type PrivacyCell, type Suppressed } from "./privacy";
import { closedBefore, TOTAL } from "./release";

type RowSpec = "day" | "week";

export const cellId = (scopeId: string, spec: RowSpec, key: string) => `${scopeId}|${spec}|${key}`;
/** The notes of a community outside its campaigns: never published, derivable by subtraction. */
const restId = (spec: RowSpec, key: string) => cellId("rest", spec, key);

const DAY_MS = 86_400_000;
const daysOfWeek = (monday: string) =>
  Array.from({ length: 7 }, (_, i) =>
    new Date(Date.parse(`${monday}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10),
  );

/** Suppression decisions for every closed cell of a community and its campaigns, keyed by cellId. */
export async function suppressAcrossReports(
  db: Executor,
  model: ModelInfo,
  communityId: string,
  now: Date,
  k: number,
): Promise<Map<string, Suppressed>> {
  const cut = { day: closedBefore("day", now), week: closedBefore("week", now) };
  const closed = (alias: string) =>
    sql`((${sql.raw(alias)}.spec = 'day' and ${sql.raw(alias)}.window_key < ${cut.day}) or (${sql.raw(alias)}.spec = 'week' and ${sql.raw(alias)}.window_key < ${cut.week}))`;
  const windows = await query<{ scope_id: string; spec: RowSpec; window_key: string; authors: number }>(
    db,
    sql`
    select s.scope_id::text as scope_id, s.spec, s.window_key, s.authors from report_window_stats s
    where s.model = ${model.version} and s.community_id = ${communityId} and s.target = 0 and s.authors > 0 and ${closed("s")}`,
  );
  const totals = await query<{ scope_id: string; spec: RowSpec; authors: number }>(
    db,
    sql`
    select a.scope_id::text as scope_id, a.spec, count(distinct a.author_iri)::int as authors from report_author_windows a
    where a.model = ${model.version} and a.community_id = ${communityId} and a.notes > 0 and ${closed("a")}
    group by a.scope_id, a.spec`,
  );
  // Author ids, only of windows below k (a union holding a cell of ≥ k authors needs none).
  const small = await query<{ scope_id: string; spec: RowSpec; window_key: string; author_iri: string }>(
    db,
    sql`
    select a.scope_id::text as scope_id, a.spec, a.window_key, a.author_iri
    from report_author_windows a join report_window_stats s
      on s.model = a.model and s.scope_id = a.scope_id and s.spec = a.spec and s.window_key = a.window_key and s.target = 0
    where a.model = ${model.version} and a.community_id = ${communityId} and a.notes > 0 and s.authors < ${k} and ${closed("a")}`,
  );
  // Authors with notes in the community's window beyond their notes in its campaigns' windows.
  const rest = await query<{ spec: RowSpec; window_key: string; author_iri: string }>(
    db,
    sql`
    with p as (
      select a.spec, a.window_key, a.author_iri, sum(a.notes) as notes from report_author_windows a
      where a.model = ${model.version} and a.community_id = ${communityId} and a.campaign_id is not null and ${closed("a")}
      group by a.spec, a.window_key, a.author_iri
    )
    select c.spec, c.window_key, c.author_iri from report_author_windows c
      left join p on p.spec = c.spec and p.window_key = c.window_key and p.author_iri = c.author_iri
    where c.model = ${model.version} and c.scope_id = ${communityId} and c.notes > 0 and ${closed("c")}
      and c.notes > coalesce(p.notes, 0)`,
  );

  const cells = new Map<string, PrivacyCell>();
  const ids = new Map<string, Set<string>>();
  const addId = (id: string, author: string) => (ids.get(id) ?? ids.set(id, new Set()).get(id)!).add(author);
  const keysOf = new Map<string, Set<string>>(); // scope|spec → window keys
  for (const w of windows) {
    cells.set(cellId(w.scope_id, w.spec, w.window_key), {
      id: cellId(w.scope_id, w.spec, w.window_key),
      authors: Number(w.authors),
    });
    (
      keysOf.get(`${w.scope_id}|${w.spec}`) ??
      keysOf.set(`${w.scope_id}|${w.spec}`, new Set()).get(`${w.scope_id}|${w.spec}`)!
    ).add(w.window_key);
  }
  for (const t of totals)
    cells.set(cellId(t.scope_id, t.spec, TOTAL), { id: cellId(t.scope_id, t.spec, TOTAL), authors: Number(t.authors) });
  for (const a of small) {
    addId(cellId(a.scope_id, a.spec, a.window_key), a.author_iri);
    addId(cellId(a.scope_id, a.spec, TOTAL), a.author_iri); // complete whenever the total itself is below k
  }
  for (const r of rest) {
    addId(restId(r.spec, r.window_key), r.author_iri);
    addId(restId(r.spec, TOTAL), r.author_iri);
  }
  const unpublished = new Set<string>();
  for (const [id, authors] of ids) {
    if (id.startsWith("rest|")) {
      cells.set(id, { id, authors: authors.size });
      unpublished.add(id);
    }
  }

  const relations: AdditiveRelation[] = [];
  const present = (id: string) => cells.has(id);
  const relate = (total: string, parts: string[]) => {
    const existing = parts.filter(present);
    if (present(total) && existing.length) relations.push({ total, parts: existing });
  };
  const scopes = new Set(windows.map((w) => w.scope_id));
  for (const scope of scopes) {
    const days = [...(keysOf.get(`${scope}|day`) ?? [])];
    const weeks = [...(keysOf.get(`${scope}|week`) ?? [])];
    relate(
      cellId(scope, "day", TOTAL),
      days.map((d) => cellId(scope, "day", d)),
    );
    relate(
      cellId(scope, "week", TOTAL),
      weeks.map((w) => cellId(scope, "week", w)),
    );
    for (const week of weeks)
      relate(
        cellId(scope, "week", week),
        daysOfWeek(week).map((d) => cellId(scope, "day", d)),
      );
    // The day report's whole range is the week report's plus the closed days of the current week.
    relate(cellId(scope, "day", TOTAL), [
      cellId(scope, "week", TOTAL),
      ...days.filter((d) => d >= cut.week).map((d) => cellId(scope, "day", d)),
    ]);
  }
  // The community's cell is the sum of its campaigns' cells and of the notes outside campaigns.
  const campaigns = [...scopes].filter((s) => s !== communityId);
  for (const id of [...cells.keys()].filter((id) => id.startsWith(`${communityId}|`))) {
    const [, spec, key] = id.split("|") as [string, RowSpec, string];
    relate(id, [...campaigns.map((p) => cellId(p, spec, key)), restId(spec, key)]);
  }
  const authorIdsOf = (id: string) => {
    const found = ids.get(id);
    if (!found) throw new Error(`author ids of ${id} were not loaded (it has at least k authors)`);
    return found;
  };
  return suppressCells([...cells.values()], relations, k, authorIdsOf, unpublished);
}
