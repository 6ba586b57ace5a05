import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { campaigns, communities } from "../../drizzle/schema";
import type { Db } from "../db/database";
import type { Campaign } from "./campaigns";

/** A hashtag as campaigns store it (letters, digits, `_`; see `fields.hashtags`), or undefined. */
export function normalizeTag(input: string): string | undefined {
  const tag = input.replace(/^#/, "");
  return /^[\p{L}\p{N}_]{1,100}$/u.test(tag) ? tag : undefined;
}

/**
 * Public campaigns (published, not deleted) carrying a hashtag, newest first, each with its
 * community's handle and name. Hashtags match regardless of case, as on Mastodon.
 */
export async function listTaggedCampaigns(
  db: Db,
  tag: string,
  limit = 100,
): Promise<Array<{ campaign: Campaign; community: { handle: string; name: string } }>> {
  const rows = await db
    .select({ campaign: campaigns, handle: communities.handle, name: communities.name })
    .from(campaigns)
    .innerJoin(communities, eq(communities.id, campaigns.communityId))
    .where(
      and(
        isNull(campaigns.deletedAt),
        sql`${campaigns.status} <> 'draft'`,
        sql`exists (select 1 from unnest(${campaigns.hashtags}) as h(tag) where lower(h.tag) = lower(${tag}))`,
      ),
    )
    .orderBy(desc(campaigns.createdAt))
    .limit(limit);
  return rows.map((r) => ({ campaign: r.campaign, community: { handle: r.handle, name: r.name } }));
}
