import { and, eq, gte, isNotNull, lt } from "drizzle-orm";
import { governanceActs, moderationFlags } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { STATEMENT } from "./moderation";

export interface ModerationSummary {
  year: number;
  statements: number;
  byDecision: Record<string, number>;
  /** "incompatible-with-community-rules: <rule>" or "none". */
  byGround: Record<string, number>;
  /** Flags resolved in the year; named as in the public `…/moderation/<year>.json`, which readers already parse. */
  reportsResolved: number;
  /** Median time from a flag's arrival to its resolution, in hours; null without resolved flags. */
  medianHandlingHours: number | null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const tally = (keys: string[]) => {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
};

/** The yearly counts, from statements (public already) and flag timings (no reporter). */
export function summarize(
  year: number,
  statements: Array<Record<string, unknown>>,
  handlingMs: number[],
): ModerationSummary {
  return {
    year,
    statements: statements.length,
    byDecision: tally(statements.map((s) => String(s.decision))),
    byGround: tally(
      statements.map((s) => {
        const g = (s.ground ?? {}) as { type?: string; rule?: string };
        return g.rule ? `${g.type}: ${g.rule}` : String(g.type ?? "none");
      }),
    ),
    reportsResolved: handlingMs.length,
    medianHandlingHours: ((m) => (m === null ? null : Math.round((m / 3_600_000) * 100) / 100))(median(handlingMs)),
  };
}

export async function moderationSummary(db: Db, communityId: string, year: number): Promise<ModerationSummary> {
  const from = new Date(Date.UTC(year, 0, 1));
  const to = new Date(Date.UTC(year + 1, 0, 1));
  const acts = await db
    .select({ payload: governanceActs.payload })
    .from(governanceActs)
    .where(
      and(
        eq(governanceActs.communityId, communityId),
        eq(governanceActs.type, STATEMENT),
        gte(governanceActs.at, from),
        lt(governanceActs.at, to),
      ),
    );
  const flags = await db
    .select({ receivedAt: moderationFlags.receivedAt, resolvedAt: moderationFlags.resolvedAt })
    .from(moderationFlags)
    .where(
      and(
        eq(moderationFlags.communityId, communityId),
        isNotNull(moderationFlags.resolvedAt),
        gte(moderationFlags.resolvedAt, from),
        lt(moderationFlags.resolvedAt, to),
      ),
    );
  return summarize(
    year,
    acts.map((a) => a.payload as Record<string, unknown>),
    flags.map((r) => r.resolvedAt!.getTime() - r.receivedAt.getTime()),
  );
}
