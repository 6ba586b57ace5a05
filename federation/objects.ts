import type { Federation } from "@fedify/fedify";
import { Note, Question } from "@fedify/vocab";
import { findCampaign, findCampaignUpdate, tally } from "../src/domain/campaigns";
import { findCommunity } from "../src/domain/communities";
import { campaignQuestion, updateNote } from "./campaign-object";
import type { Services } from "./services";

/** Campaigns and their updates are fetchable, signed GETs included (Mastodon re-fetches polls). */
export function setupObjects(federation: Federation<Services>): void {
  federation.setObjectDispatcher(Question, "/communities/{identifier}/campaigns/{id}", async (ctx, { identifier, id }) => {
    const community = await findCommunity(ctx.data.db, identifier);
    const campaign = community && (await findCampaign(ctx.data.db, id));
    if (!community || !campaign || campaign.communityId !== community.id) return null;
    if (campaign.status === "draft" || campaign.deletedAt) return null;
    return campaignQuestion(ctx, community, campaign, await tally(ctx.data.db, campaign.id));
  });

  federation.setObjectDispatcher(
    Note,
    "/communities/{identifier}/campaigns/{id}/updates/{updateId}",
    async (ctx, { identifier, id, updateId }) => {
      const community = await findCommunity(ctx.data.db, identifier);
      const campaign = community && (await findCampaign(ctx.data.db, id));
      const update = campaign && (await findCampaignUpdate(ctx.data.db, updateId));
      if (!community || !campaign || !update || campaign.communityId !== community.id || update.campaignId !== campaign.id) return null;
      if (campaign.deletedAt) return null;
      return updateNote(ctx, community, campaign, update);
    },
  );
}
