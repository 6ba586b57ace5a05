import { z } from "zod";
import type { Services } from "../services";
import {
  addCampaignUpdate,
  assertPublishable,
  CampaignStateError,
  closeCampaign,
  deleteCampaign,
  editCampaign,
  publishCampaign,
  type Campaign,
  type campaignPatch,
  type CampaignUpdate,
} from "./campaigns";
import type { Community } from "./communities";
import { recordAct } from "./governance";
import { isLang, t } from "../i18n";
import { markScheduled, scheduledPublication, unschedule } from "./schedule";
import type { CampaignPublisher } from "./publisher";

/** How a campaign ended, said when closing it (the API and the console validate it alike). */
export const campaignOutcome = z.string().trim().min(1, "say how the campaign ended").max(5000);

export type CampaignActions = ReturnType<typeof campaignActions>;

/**
 * Each steward change to a campaign, made in the database first and then federated. The JSON
 * API and the steward console both go through here, so followers see the same activities
 * whichever a steward used. The publisher only enqueues deliveries.
 */
export function campaignActions(publisher: CampaignPublisher, services: Services) {
  const { db } = services;
  return {
    async edit(community: Community, campaign: Campaign, patch: z.input<typeof campaignPatch>): Promise<Campaign> {
      const edited = await editCampaign(db, campaign, patch);
      // a scheduled draft whose start moved is published at its new start
      if (
        edited.status === "draft" &&
        edited.startsAt.getTime() !== campaign.startsAt.getTime() &&
        (await scheduledPublication(db, edited.id))
      ) {
        await this.schedule(community, edited, (await scheduledPublication(db, edited.id))!.by);
      }
      // a draft is nobody's business yet; an open campaign's followers see the edit
      if (edited.status === "open") await publisher.edited(community, edited);
      return edited;
    },
    async publish(community: Community, campaign: Campaign): Promise<Campaign> {
      assertPublishable(campaign);
      const published = await publishCampaign(db, campaign);
      await unschedule(db, campaign.id);
      await publisher.published(community, published);
      return published;
    },
    async postUpdate(
      community: Community,
      campaign: Campaign,
      content: string,
      onInvalid?: (e: unknown) => never,
    ): Promise<CampaignUpdate> {
      const adding = addCampaignUpdate(db, campaign, content);
      const update = await (onInvalid ? adding.catch(onInvalid) : adding);
      await publisher.updatePosted(community, campaign, update);
      return update;
    },
    /** Publication at the campaign's start, by a background job; a start already passed is "publish now" instead. */
    async schedule(_community: Community, campaign: Campaign, by: string): Promise<void> {
      assertPublishable(campaign);
      if (campaign.status !== "draft") throw new CampaignStateError("only a draft can be scheduled.");
      if (!services.tasks) throw new Error("No task queue in this process: publication cannot be scheduled.");
      await markScheduled(db, campaign, by);
      await services.tasks.schedulePublication(campaign.id, campaign.startsAt);
    },
    unschedule: (campaign: Campaign) => unschedule(db, campaign.id),
    scheduled: (campaign: Campaign) => scheduledPublication(db, campaign.id),
    /** `by` is the steward's token label, which the community's public record names. */
    async close(community: Community, campaign: Campaign, outcome: string, by: string): Promise<Campaign> {
      const { result: closed } = await recordAct(services, community, "campaign-closed", async (tx) => {
        const closed = await closeCampaign(tx, campaign, outcome);
        return { payload: { campaign: closed.id, title: closed.title, outcome, by }, result: closed };
      });
      // the poll shows as closed (`closed`, `endTime`); the outcome goes out as a post, which
      // every client shows in timelines, where a poll Update alone says nothing
      await publisher.edited(community, closed);
      const lang = closed.language.split("-")[0];
      const label = t(isLang(lang) ? lang : "en", "public.outcome");
      const posted = await addCampaignUpdate(db, closed, `**${label}**: ${outcome}`);
      await publisher.updatePosted(community, closed, posted);
      return closed;
    },
    async remove(community: Community, campaign: Campaign): Promise<Campaign> {
      const deleted = await deleteCampaign(db, campaign);
      // a draft never left this server, so there is nothing to retract
      if (deleted.publishedAt) await publisher.deleted(community, deleted);
      return deleted;
    },
  };
}
