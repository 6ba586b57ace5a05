import { and, count, eq, sql } from "drizzle-orm";
import { followers, inboundNotes, participations } from "../../drizzle/schema";
import type { Db } from "../db/database";

export interface NewFollower {
  communityId: string;
  actorIri: string;
  inboxUrl: string;
  sharedInboxUrl: string | null;
  followIri: string | null;
}

export async function addFollower(db: Db, follower: NewFollower): Promise<void> {
  await db
    .insert(followers)
    .values(follower)
    .onConflictDoUpdate({
      target: [followers.communityId, followers.actorIri],
      set: { inboxUrl: follower.inboxUrl, sharedInboxUrl: follower.sharedInboxUrl, followIri: follower.followIri },
    });
}

export async function removeFollower(db: Db, communityId: string, actorIri: string): Promise<boolean> {
  const rows = await db
    .delete(followers)
    .where(and(eq(followers.communityId, communityId), eq(followers.actorIri, actorIri)))
    .returning({ actorIri: followers.actorIri });
  return rows.length > 0;
}

/** An account that no longer exists follows no community. */
export async function removeFollowerEverywhere(db: Db, actorIri: string): Promise<number> {
  const rows = await db
    .delete(followers)
    .where(eq(followers.actorIri, actorIri))
    .returning({ actorIri: followers.actorIri });
  return rows.length;
}

export async function countFollowers(db: Db, communityId?: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(followers)
    .where(communityId ? eq(followers.communityId, communityId) : undefined);
  return row.n;
}

export async function listFollowers(db: Db, communityId: string) {
  return db.select().from(followers).where(eq(followers.communityId, communityId));
}

export async function isFollower(db: Db, communityId: string, actorIri: string): Promise<boolean> {
  const [row] = await db
    .select({ actorIri: followers.actorIri })
    .from(followers)
    .where(and(eq(followers.communityId, communityId), eq(followers.actorIri, actorIri)));
  return row !== undefined;
}

/**
 * Followers who neither took part in a campaign (vote or join) nor replied to it: the silent
 * majority, counted so that the loudest replies are never mistaken for everyone.
 */
export async function countSilentFollowers(db: Db, communityId: string, campaignId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(followers)
    .where(
      and(
        eq(followers.communityId, communityId),
        sql`not exists (select 1 from ${participations} p where p.campaign_id = ${campaignId} and p.actor_iri = ${followers.actorIri})`,
        sql`not exists (select 1 from ${inboundNotes} n where n.campaign_id = ${campaignId} and n.author_iri = ${followers.actorIri})`,
      ),
    );
  return row.n;
}
