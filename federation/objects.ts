import type { Federation, RequestContext } from "@fedify/fedify";
import { Event, Note, Question } from "@fedify/vocab";
import { findCampaign, findCampaignUpdate, isLiveCampaignOf, tally, type Campaign } from "../src/domain/campaigns";
import { findCommunity, type Community } from "../src/domain/communities";
import { publicRepliesOf, REPLIES_PAGE_SIZE } from "../src/domain/replies";
import { campaignEvent, campaignQuestion, REPLIES, updateNote } from "./campaign-object";
import type { Services } from "../src/services";

/** A published, not deleted campaign of the named community; null otherwise (the HTTP layer says 404 or 410). */
export async function publishedCampaign(
  ctx: RequestContext<Services>,
  identifier: string,
  id: string,
): Promise<{ community: Community; campaign: Campaign } | null> {
  const community = await findCommunity(ctx.data.db, identifier);
  const campaign = community && (await findCampaign(ctx.data.db, id));
  if (!community || !campaign || !isLiveCampaignOf(community, campaign)) return null;
  return { community, campaign };
}

/** Campaigns and their updates are fetchable, signed GETs included (Mastodon re-fetches polls). */
export function setupObjects(federation: Federation<Services>): void {
  federation.setObjectDispatcher(
    Question,
    "/communities/{identifier}/campaigns/{id}",
    async (ctx, { identifier, id }) => {
      const found = await publishedCampaign(ctx, identifier, id);
      if (!found) return null;
      return campaignQuestion(ctx, found.community, found.campaign, await tally(ctx.data.db, found.campaign.id));
    },
  );

  federation.setObjectDispatcher(
    Event,
    "/communities/{identifier}/campaigns/{id}/event",
    async (ctx, { identifier, id }) => {
      const found = await publishedCampaign(ctx, identifier, id);
      if (!found) return null;
      return campaignEvent(ctx, found.community, found.campaign, await tally(ctx.data.db, found.campaign.id));
    },
  );

  federation.setObjectDispatcher(
    Note,
    "/communities/{identifier}/campaigns/{id}/updates/{updateId}",
    async (ctx, { identifier, id, updateId }) => {
      const found = await publishedCampaign(ctx, identifier, id);
      const update = found && (await findCampaignUpdate(ctx.data.db, updateId));
      if (!found || !update || update.campaignId !== found.campaign.id) return null;
      return updateNote(ctx, found.community, found.campaign, update);
    },
  );

  // Mastodon 4.4+ crawls a post's `replies` to show the whole thread; pages of 20, oldest first.
  federation
    .setCollectionDispatcher(
      REPLIES,
      Note,
      "/communities/{identifier}/campaigns/{id}/replies",
      async (ctx, values, cursor) => {
        const found = await publishedCampaign(ctx, values.identifier, values.id);
        if (!found || cursor === null) return null;
        const page = Number(cursor);
        if (!Number.isSafeInteger(page) || page < 0) return null;
        const { iris, total } = await publicRepliesOf(ctx.data.db, found.campaign.id, page);
        return {
          items: iris.map((iri) => new Note({ id: new URL(iri) })),
          nextCursor: (page + 1) * REPLIES_PAGE_SIZE < total ? String(page + 1) : null,
          prevCursor: page > 0 ? String(page - 1) : null,
        };
      },
    )
    .setCounter(async (ctx, values) => {
      const found = await publishedCampaign(ctx, values.identifier, values.id);
      return found ? (await publicRepliesOf(ctx.data.db, found.campaign.id, 0)).total : null;
    })
    // an unknown or deleted campaign has no first page: its collection is not found
    .setFirstCursor(async (ctx, values) => ((await publishedCampaign(ctx, values.identifier, values.id)) ? "0" : null));
}
