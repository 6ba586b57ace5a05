import type { Federation } from "@fedify/fedify";
import type PgBoss from "pg-boss";
import { assertPublishable, findCampaign, publishCampaign } from "../src/domain/campaigns";
import { findCommunityById } from "../src/domain/communities";
import { rescoreStaleNotes } from "../src/domain/notes";
import { scheduledPublication, unschedule } from "../src/domain/schedule";
import { loadEmotionModel } from "../src/emotion";
import { announceCampaign, announceCampaignEdit } from "./outbox";
import { originContext, type Services, type Tasks } from "../src/services";

export const TALLY_QUEUE = "campaign-tally";
export const RESCORE_QUEUE = "rescore-notes";
export const PUBLISH_QUEUE = "campaign-publish";

/**
 * A burst of votes causes one Update(Question) per campaign per interval (a setting, a few
 * minutes by default, as Mastodon batches its own poll updates), not one per vote: the
 * "stately" policy keeps at most one waiting job per campaign, so later votes in the window
 * are folded into the job already queued.
 */
export async function createTasks(boss: PgBoss, tallyIntervalSeconds: number): Promise<Tasks> {
  await boss.createQueue(TALLY_QUEUE, { name: TALLY_QUEUE, policy: "stately" });
  // every worker process asks at start; "stately" keeps one job queued and one running
  await boss.createQueue(RESCORE_QUEUE, { name: RESCORE_QUEUE, policy: "stately" });
  await boss.createQueue(PUBLISH_QUEUE, { name: PUBLISH_QUEUE });
  return {
    async schedulePublication(campaignId, at) {
      await boss.send(PUBLISH_QUEUE, { campaignId }, { startAfter: at, retryLimit: 5, retryDelay: 30 });
    },
    async scheduleRescore() {
      await boss.send(RESCORE_QUEUE, {}, { singletonKey: RESCORE_QUEUE });
    },
    async scheduleTally(campaignId) {
      await boss.send(TALLY_QUEUE, { campaignId }, { singletonKey: campaignId, startAfter: tallyIntervalSeconds });
    },
  };
}

export async function startTaskWorkers(
  boss: PgBoss,
  federation: Federation<Services>,
  services: Services,
): Promise<void> {
  await boss.work<{ campaignId: string }>(TALLY_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
    const campaign = await findCampaign(services.db, job.data.campaignId);
    if (!campaign || campaign.deletedAt || campaign.status === "draft") return;
    const community = await findCommunityById(services.db, campaign.communityId);
    if (!community) return;
    const ctx = originContext(federation, services);
    await announceCampaignEdit(ctx, community, campaign);
  });
  await boss.work<{ campaignId: string }>(PUBLISH_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
    const { db } = services;
    const campaign = await findCampaign(db, job.data.campaignId);
    const mark = await scheduledPublication(db, job.data.campaignId);
    // unscheduled, published by hand, deleted, or moved later (a later job was sent for the new start)
    if (
      !campaign ||
      !mark ||
      campaign.deletedAt ||
      campaign.status !== "draft" ||
      campaign.startsAt.getTime() > Date.now()
    )
      return;
    await unschedule(db, campaign.id);
    const community = await findCommunityById(db, campaign.communityId);
    if (!community) return;
    assertPublishable(campaign);
    const published = await publishCampaign(db, campaign);
    await announceCampaign(originContext(federation, services), community, published);
  });
  const { scoreNote } = services;
  if (!scoreNote) return;
  await boss.work(RESCORE_QUEUE, async () => {
    const { version } = await loadEmotionModel();
    for (let after: string | null = null; ; ) {
      after = await rescoreStaleNotes(services.db, scoreNote, version, after);
      if (after === null) return;
    }
  });
}
