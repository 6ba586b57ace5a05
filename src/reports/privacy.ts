// Disclosure control for public reports: minimum group size, primary and complementary
// cell suppression, and optional Laplace noise. The report layer (aggregate.ts) is the only
// consumer of per-author tallies; what leaves it goes through these rules.

import { mulberry32 } from "../random";

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
    if (c.authors < k) suppressed.set(c.id, { suppressed: true, reason: primaryReason(k) });
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

/** Seeded so that noisy releases are reproducible (tests, audits). Values in (0, 1), as the Laplace inverse CDF needs. */
export function createRng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() + 0.5 / 4294967296;
}

/** Laplace(0, scale) by inverse CDF. */
export function laplace(scale: number, rng: () => number): number {
  const u = rng() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

export interface NoiseSpec {
  /** Total privacy budget of the release (person-level, basic sequential composition). */
  epsilon: number;
  seed: number;
}

export interface NoiseRelease {
  mechanism: "laplace";
  epsilon: number;
  seed: number;
  /** Noisy statistics one author can influence in this release (every published cell × statistic). */
  statisticsPerAuthor: number;
  epsilonPerStatistic: number;
  /** L1 sensitivity to adding/removing one author: a share is a mean over ≥ k authors of values in [0, 1]. */
  sensitivity: { share: number; authors: number };
  /** Laplace scale b = sensitivity / epsilonPerStatistic; the noise variance is 2b². */
  scale: { share: number; authors: number };
}

/**
 * Splits ε evenly over every statistic an author can influence (sequential composition; one
 * author may appear in every window and every target). Everything else in the report (adjusted
 * estimates, intervals, weak signals) is computed from the noisy statistics only, i.e. is
 * post-processing and costs no budget. Known limits: the k-threshold itself is applied to exact
 * counts, and floating-point Laplace sampling is not hardened (Mironov 2012).
 */
export function planNoise(spec: NoiseSpec, k: number, statisticsPerAuthor: number): NoiseRelease {
  if (!(spec.epsilon > 0 && Number.isFinite(spec.epsilon))) throw new Error(`epsilon must be a positive number (got ${spec.epsilon})`);
  if (!Number.isInteger(statisticsPerAuthor) || statisticsPerAuthor < 1) throw new Error("statisticsPerAuthor must be a positive integer");
  const epsilonPerStatistic = spec.epsilon / statisticsPerAuthor;
  const sensitivity = { share: 1 / assertK(k), authors: 1 };
  return {
    mechanism: "laplace",
    epsilon: spec.epsilon,
    seed: spec.seed,
    statisticsPerAuthor,
    epsilonPerStatistic,
    sensitivity,
    scale: { share: sensitivity.share / epsilonPerStatistic, authors: sensitivity.authors / epsilonPerStatistic },
  };
}
