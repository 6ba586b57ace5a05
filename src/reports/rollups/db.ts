// Plumbing shared by the rollup write path (rollup-incremental.ts), the bulk rebuild (rollup-rebuild.ts) and the
// report reader (read.ts): raw SQL through Drizzle, on PGlite and postgres-js alike.

import type { SQL } from "drizzle-orm";
import type { Db } from "../../db/database";
import type { WindowSpec } from "./windows";

/** A Drizzle database or transaction: both run raw SQL the same way. */
export type Executor = Pick<Db, "execute">;

export const SPECS: readonly WindowSpec[] = ["day", "week", "campaign"];

/** postgres-js returns the rows themselves, PGlite an object holding them. */
export async function query<T>(db: Executor, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** numeric columns come back as text; every rollup sum is an integer. */
export const bigintOf = (text: string | number | bigint) => BigInt(String(text).replace(/\.0*$/, ""));

/** A note's scopes: its community always, its campaign when it replies to one. */
export interface Scope {
  scopeId: string;
  communityId: string;
  campaignId: string | null;
}

export function scopesOf(note: { communityId: string; campaignId: string | null }): Scope[] {
  const community = { scopeId: note.communityId, communityId: note.communityId, campaignId: null };
  return note.campaignId
    ? [community, { scopeId: note.campaignId, communityId: note.communityId, campaignId: note.campaignId }]
    : [community];
}
