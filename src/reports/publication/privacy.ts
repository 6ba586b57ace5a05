// Disclosure control for public reports: minimum group size, primary and complementary
// cell suppression (the Laplace noise is in noise.ts and private.ts). The report layer (aggregate.ts) is the only
// consumer of per-author tallies; what leaves it goes through these rules.

export const MIN_K = 11;

/** A published breakdown must cover at least k distinct authors; k may be raised, never lowered below 11. */
export function assertK(k: number): number {
  if (!Number.isInteger(k) || k < MIN_K) {
    throw new Error(`minimum group size k must be an integer ≥ ${MIN_K} (got ${k})`);
  }
  return k;
}

export interface Suppressed {
  suppressed: true;
  reason: string;
}

export const isSuppressed = (x: unknown): x is Suppressed =>
  typeof x === "object" && x !== null && (x as Suppressed).suppressed === true;

/** A published breakdown and its number of distinct authors (from the sufficient statistics). */
export interface PrivacyCell {
  id: string;
  authors: number;
}

/** `total` is published as the sum of `parts` (e.g. the whole range = Σ windows, for note counts). */
export interface AdditiveRelation {
  total: string;
  parts: readonly string[];
}

export const primaryReason = (k: number) => `fewer than ${k} distinct authors`;
const UNPUBLISHED_REASON = "never published";
export const COMPLEMENTARY_REASON = "complementary suppression: would otherwise be derivable from a published total";

/**
 * Primary suppression (cells with < k distinct authors), then complementary suppression until
 * no published total lets anyone recover a suppressed set smaller than k: for every relation
 * whose total is published, the suppressed parts are recoverable as a sum (total − published
 * parts), so together they must cover ≥ k distinct authors; otherwise the published part with the
 * fewest authors is suppressed too (least information lost), or the total if none is left.
 * Overlapping groups (multi-label) never form such a relation, and every target of a window is
 * suppressed together, so windows vs. their total is the relation that matters within a report.
 *
 * Distinct authors of a union need the author ids, but only of small cells: a union containing
 * a cell of ≥ k authors has ≥ k authors. So `authorIdsOf` is only called for cells with fewer than
 * k authors (the database reads just those windows' author rows). Returns the suppressed cells only.
 */
export function suppressCells(
  cells: readonly PrivacyCell[],
  relations: readonly AdditiveRelation[],
  k: number,
  authorIdsOf: (id: string) => Iterable<string>,
  /** Cells that take part in relations but are never published (e.g. a difference no report shows). */
  unpublished: ReadonlySet<string> = new Set(),
): Map<string, Suppressed> {
  assertK(k);
  const byId = new Map(cells.map((c) => [c.id, c]));
  const cell = (id: string) => {
    const c = byId.get(id);
    if (!c) throw new Error(`relation refers to unknown cell ${id}`);
    return c;
  };
  const unionReaches = (ids: readonly string[]) => {
    if (ids.some((id) => cell(id).authors >= k)) return true;
    return new Set(ids.flatMap((id) => [...authorIdsOf(id)])).size >= k;
  };
  const suppressed = new Map<string, Suppressed>();
  for (const c of cells) {
    if (unpublished.has(c.id)) suppressed.set(c.id, { suppressed: true, reason: UNPUBLISHED_REASON });
    else if (c.authors < k) suppressed.set(c.id, { suppressed: true, reason: primaryReason(k) });
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const rel of relations) {
      if (suppressed.has(rel.total)) continue;
      const hidden = rel.parts.filter((id) => suppressed.has(id));
      if (hidden.length === 0 || unionReaches(hidden)) continue;
      const candidates = rel.parts
        .filter((id) => !suppressed.has(id))
        .sort((a, b) => cell(a).authors - cell(b).authors || (a < b ? -1 : 1));
      suppressed.set(candidates[0] ?? rel.total, { suppressed: true, reason: COMPLEMENTARY_REASON });
      changed = true;
    }
  }
  return suppressed;
}
