// Which stored notes count in public reports: one rule, written once for the write path
// (rollup-incremental.ts) and once for the bulk rebuild (rollup-rebuild.ts), side by side so they cannot drift.
// A note a moderator hid is withdrawn from every figure, and only what its author addressed
// to everyone (public or unlisted) is counted: followers-only and direct notes never are.

import { sql } from "drizzle-orm";
import { isPublicAudience, PUBLIC_AUDIENCES, type Audience } from "../../domain/audience";

export interface ReportableFields {
  hidden: boolean;
  audience: Audience;
}

export const countsInReports = (note: ReportableFields): boolean => !note.hidden && isPublicAudience(note.audience);

/** The same rule on `inbound_notes n` in SQL. */
export const COUNTS_IN_REPORTS_SQL = sql`(not n.hidden and n.audience in (${sql.join(
  PUBLIC_AUDIENCES.map((a) => sql`${a}`),
  sql`, `,
)}))`;
