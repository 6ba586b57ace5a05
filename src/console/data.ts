import { and, desc, eq } from "drizzle-orm";
import { inboundNotes } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { listCampaigns, tally, type Campaign, type Tally } from "../domain/campaigns";
import type { Community } from "../domain/communities";
import type { Audience } from "../domain/audience";
import { countFollowers } from "../domain/followers";
import type { ReplyAuthorFields } from "../ui";

export interface LatestReply extends ReplyAuthorFields {
  iri: string;
  campaignId: string | null;
  text: string;
  published: Date;
  /** Followers-only and direct notes are listed for stewards, marked private; never public, never in reports. */
  audience: Audience;
}

export interface Dashboard {
  followers: number;
  campaigns: Array<{ campaign: Campaign; tally: Tally }>;
  replies: LatestReply[];
}

/**
 * What the dashboard shows, drafts included. Replies are read as plain text only, like the
 * public pages, so no remote markup reaches the console; hidden ones stay hidden.
 */
export async function loadDashboard(db: Db, community: Community, replies = 20): Promise<Dashboard> {
  const campaigns = await listCampaigns(db, community.id, { includeDrafts: true });
  return {
    followers: await countFollowers(db, community.id),
    campaigns: await Promise.all(
      campaigns.map(async (campaign) => ({ campaign, tally: await tally(db, campaign.id) })),
    ),
    replies: await db
      .select({
        iri: inboundNotes.iri,
        campaignId: inboundNotes.campaignId,
        authorIri: inboundNotes.authorIri,
        authorUsername: inboundNotes.authorUsername,
        authorName: inboundNotes.authorName,
        authorUrl: inboundNotes.authorUrl,
        text: inboundNotes.text,
        published: inboundNotes.published,
        audience: inboundNotes.audience,
      })
      .from(inboundNotes)
      .where(and(eq(inboundNotes.communityId, community.id), eq(inboundNotes.hidden, false)))
      .orderBy(desc(inboundNotes.published))
      .limit(replies),
  };
}
