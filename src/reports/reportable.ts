// Which stored notes count in public reports: one rule, written once for the write path
// (store.ts) and once for the bulk rebuild (rebuild.ts), side by side so they cannot drift.
// A note a moderator hid is withdrawn from every figure. (Other conditions, such as a
// non-public audience, belong here too.)

import { sql } from "drizzle-orm";

export interface ReportableFields {
  hidden: boolean;
}

export const countsInReports = (note: ReportableFields): boolean => !note.hidden;

/** The same rule on `inbound_notes n` in SQL. */
export const COUNTS_IN_REPORTS_SQL = sql`not n.hidden`;
