// Report input read from the rollups: one row per window × target of sufficient statistics
// (never per-author rows), plus the author ids of windows too small to publish, which
// complementary suppression needs (privacy.ts) and which hold fewer than k rows each.

import { sql } from "drizzle-orm";
import type { ReportInput, WindowSums } from "./aggregate";
import { TOTAL_KEY } from "./aggregate";
import { bigintOf, query, type Executor } from "../rollups/db";
import { targetsOf, type ModelInfo } from "../model/model-info";
import type { StatSums, TargetCell } from "../statistics/sums";
import type { WindowSpec } from "../rollups/windows";

type StatsRow = Record<"spec" | "window_key", string> & { target: number; authors: number } & Record<
    "notes" | "notes_sq" | `${"over" | "prob"}_${"sum" | "sq" | "x_notes" | "share" | "share_sq"}`,
    string
  >;

const statOf = (r: StatsRow, p: "over" | "prob"): StatSums => ({
  sum: bigintOf(r[`${p}_sum`]),
  sq: bigintOf(r[`${p}_sq`]),
  xNotes: bigintOf(r[`${p}_x_notes`]),
  share: bigintOf(r[`${p}_share`]),
  shareSq: bigintOf(r[`${p}_share_sq`]),
});

const cellOf = (r: StatsRow): TargetCell => ({
  authors: Number(r.authors),
  notes: bigintOf(r.notes),
  notesSq: bigintOf(r.notes_sq),
  over: statOf(r, "over"),
  prob: statOf(r, "prob"),
});

/** Statistics of one scope (community or campaign id) for a report of the given spec, with a minimum k. */
export async function loadReportInput(
  db: Executor,
  model: ModelInfo,
  scopeId: string,
  spec: WindowSpec,
  k: number,
): Promise<ReportInput> {
  const rows = await query<StatsRow>(
    db,
    sql`
    select spec, window_key, target, authors, notes::text as notes, notes_sq::text as notes_sq,
      over_sum::text as over_sum, over_sq::text as over_sq, over_x_notes::text as over_x_notes, over_share::text as over_share, over_share_sq::text as over_share_sq,
      prob_sum::text as prob_sum, prob_sq::text as prob_sq, prob_x_notes::text as prob_x_notes, prob_share::text as prob_share, prob_share_sq::text as prob_share_sq
    from report_window_stats
    where model = ${model.version} and scope_id = ${scopeId} and spec in (${spec}, 'campaign') and authors > 0`,
  );
  const size = targetsOf(model).length;
  const windows = new Map<string, TargetCell[]>();
  let total: TargetCell[] | null = null;
  for (const r of rows) {
    const isTotal = r.spec === "campaign" && spec !== "campaign";
    const cells = isTotal
      ? (total ??= new Array(size))
      : (windows.get(r.window_key) ?? windows.set(r.window_key, new Array(size)).get(r.window_key)!);
    cells[Number(r.target)] = cellOf(r);
  }
  const list: WindowSums[] = [...windows].map(([key, targets]) => ({ key, targets }));
  for (const w of list) {
    if (w.targets.filter(Boolean).length !== size)
      throw new Error(`rollups of window ${w.key} do not cover every target`);
  }

  const small = list.filter((w) => w.targets[0].authors < k).map((w) => w.key);
  const ids = new Map<string, string[]>();
  if (small.length) {
    const authors = await query<{ window_key: string; author_iri: string }>(
      db,
      sql`
      select window_key, author_iri from report_author_windows
      where model = ${model.version} and scope_id = ${scopeId} and spec = ${spec} and notes > 0
        and window_key in (${sql.join(
          small.map((key) => sql`${key}`),
          sql`, `,
        )})`,
    );
    for (const a of authors) (ids.get(a.window_key) ?? ids.set(a.window_key, []).get(a.window_key)!).push(a.author_iri);
  }
  return {
    windows: list,
    total: total ? { key: TOTAL_KEY, targets: total } : spec === "campaign" ? null : { key: TOTAL_KEY, targets: [] },
    authorIdsOf: (key) => {
      const found = ids.get(key);
      if (!found) throw new Error(`author ids of window ${key} were not loaded (it has at least k authors)`);
      return found;
    },
  };
}
