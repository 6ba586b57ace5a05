import { countDistinct, inArray } from "drizzle-orm";
import { participations } from "../../drizzle/schema";
import type { Db } from "../db/database";

/** People taking part in each of several campaigns, in one query (a list page would otherwise run one tally per row). */
export async function countParticipants(db: Db, campaignIds: string[]): Promise<Map<string, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db
    .select({ campaignId: participations.campaignId, n: countDistinct(participations.actorIri) })
    .from(participations)
    .where(inArray(participations.campaignId, campaignIds))
    .groupBy(participations.campaignId);
  return new Map(rows.map((r) => [r.campaignId, r.n]));
}
