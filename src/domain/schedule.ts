import type { KvKey } from "@fedify/fedify";
import { DrizzleKvStore } from "../db/kv";
import type { Db } from "../db/database";
import type { Campaign } from "./campaigns";

/**
 * A draft scheduled to be published at its start. The mark lives in the key–value store; the
 * job that publishes (federation/tasks.ts) checks it is still there, so unscheduling, deleting
 * or publishing by hand meanwhile simply leaves the job nothing to do.
 */

export interface ScheduledPublication {
  at: string;
  by: string;
}

const keyOf = (campaignId: string): KvKey => ["campaign", "scheduled-publication", campaignId];

export async function markScheduled(db: Db, campaign: Campaign, by: string): Promise<ScheduledPublication> {
  const mark = { at: campaign.startsAt.toISOString(), by };
  await new DrizzleKvStore(db).set(keyOf(campaign.id), mark);
  return mark;
}

export const scheduledPublication = (db: Db, campaignId: string) =>
  new DrizzleKvStore(db).get<ScheduledPublication>(keyOf(campaignId));

export const unschedule = (db: Db, campaignId: string) => new DrizzleKvStore(db).delete(keyOf(campaignId));
