import type { Federation } from "@fedify/fedify";
import type PgBoss from "pg-boss";
import { findCampaign } from "../src/domain/campaigns";
import { findCommunityById } from "../src/domain/communities";
import { rescoreStaleNotes } from "../src/domain/notes";
import { loadEmotionModel } from "../src/emotion/model";
import { announceCampaignEdit } from "./outbox";
import type { Services } from "./services";

export const TALLY_QUEUE = "campaign-tally";
export const RESCORE_QUEUE = "rescore-notes";


export interface Tasks {
  scheduleTally(campaignId: string): Promise<void>;
  /** After a model upgrade: notes scored by an older model are re-scored in the background. */
  scheduleRescore(): Promise<void>;
}

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
  return {
    async scheduleRescore() {
      await boss.send(RESCORE_QUEUE, {}, { singletonKey: RESCORE_QUEUE });
    },
    async scheduleTally(campaignId) {
      await boss.send(TALLY_QUEUE, { campaignId }, { singletonKey: campaignId, startAfter: tallyIntervalSeconds });
    },
  };
}

export async function startTaskWorkers(boss: PgBoss, federation: Federation<Services>, services: Services): Promise<void> {
  await boss.work<{ campaignId: string }>(TALLY_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
    const campaign = await findCampaign(services.db, job.data.campaignId);
    if (!campaign || campaign.deletedAt || campaign.status === "draft") return;
    const community = await findCommunityById(services.db, campaign.communityId);
    if (!community) return;
    const ctx = federation.createContext(new URL(services.config.origin), services);
    await announceCampaignEdit(ctx, community, campaign);
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
