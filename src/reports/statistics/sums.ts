// Sufficient statistics of a report cell (one window, one target): sums over the cell's authors
// from which both views' shares and their author-clustered variances follow (estimators.ts).
//
// Everything is an exact integer (BigInt here, numeric in SQL) so that the rollups maintained
// incrementally (subtract an author's old contribution, add the new one) never drift, and a
// report read from the database is bit-identical to a recomputation from raw rows. The only
// non-integer per-author quantity, an author's own share y_a/n_a (by person), is kept in fixed
// point with SHARE_SCALE = 10⁹ (rounding half up): an error below 5·10⁻¹⁰ per author, far under
// anything a report shows, and small enough that q² fits a SQL bigint, which keeps the bulk
// rebuild on fast int8 arithmetic.

import { PROB_SCALE } from "../model/model-info";

export const SHARE_SCALE = 10n ** 9n;
/** y units: "over" counts notes; "prob" sums millionths. */
export const UNIT = { over: 1n, prob: BigInt(PROB_SCALE) } as const;

/** Sums over authors a of one statistic y (over-threshold count or probability micros). */
export interface StatSums {
  /** Σ y_a */
  sum: bigint;
  /** Σ y_a² */
  sq: bigint;
  /** Σ y_a·n_a */
  xNotes: bigint;
  /** Σ q_a, q_a = round(SHARE_SCALE · y_a / (n_a · unit)): the author's own share in fixed point. */
  share: bigint;
  /** Σ q_a² */
  shareSq: bigint;
}

/** One target's sufficient statistics over one window's authors. */
export interface TargetCell {
  authors: number;
  /** Σ n_a */
  notes: bigint;
  /** Σ n_a² */
  notesSq: bigint;
  over: StatSums;
  prob: StatSums;
}

/** One author's tallies in a window for one target (notes, notes over threshold, probability micros). */
export interface AuthorTally {
  notes: number;
  over: number;
  probMicros: number;
}

export const EMPTY_CELL: TargetCell = Object.freeze({
  authors: 0,
  notes: 0n,
  notesSq: 0n,
  over: { sum: 0n, sq: 0n, xNotes: 0n, share: 0n, shareSq: 0n },
  prob: { sum: 0n, sq: 0n, xNotes: 0n, share: 0n, shareSq: 0n },
});

function statOf(y: bigint, n: bigint, unit: bigint): StatSums {
  // round(S·y/(n·unit)) half up, as the SQL rebuild computes it: (2·y·(S/unit) + n) / (2·n).
  const q = (2n * y * (SHARE_SCALE / unit) + n) / (2n * n);
  return { sum: y, sq: y * y, xNotes: y * n, share: q, shareSq: q * q };
}

/** What one author adds to a cell; an author with no notes adds nothing. */
export function contributionOf(t: AuthorTally): TargetCell {
  if (t.notes === 0) return EMPTY_CELL;
  const n = BigInt(t.notes);
  return {
    authors: 1,
    notes: n,
    notesSq: n * n,
    over: statOf(BigInt(t.over), n, UNIT.over),
    prob: statOf(BigInt(t.probMicros), n, UNIT.prob),
  };
}

const combineStat = (a: StatSums, b: StatSums, sign: 1n | -1n): StatSums => ({
  sum: a.sum + sign * b.sum,
  sq: a.sq + sign * b.sq,
  xNotes: a.xNotes + sign * b.xNotes,
  share: a.share + sign * b.share,
  shareSq: a.shareSq + sign * b.shareSq,
});

/** a + b, or a − b with sign −1 (removing an author's old contribution). */
export function combineCells(a: TargetCell, b: TargetCell, sign: 1n | -1n = 1n): TargetCell {
  return {
    authors: a.authors + Number(sign) * b.authors,
    notes: a.notes + sign * b.notes,
    notesSq: a.notesSq + sign * b.notesSq,
    over: combineStat(a.over, b.over, sign),
    prob: combineStat(a.prob, b.prob, sign),
  };
}

/** The cell of a set of authors' tallies (the recomputation path, and tests). */
export function cellOf(tallies: Iterable<AuthorTally>): TargetCell {
  let cell = EMPTY_CELL;
  for (const t of tallies) cell = combineCells(cell, contributionOf(t));
  return cell;
}
