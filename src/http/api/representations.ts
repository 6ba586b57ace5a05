import type { Campaign, CampaignUpdate, Tally } from "../../domain/campaigns";

/** The JSON shapes of the API, spelled out so that a new column is never published by accident. */

export function campaignSummary(campaign: Campaign, url: string, participants: number) {
  return {
    id: campaign.id,
    url,
    title: campaign.title,
    status: campaign.status,
    language: campaign.language,
    hashtags: campaign.hashtags,
    goal: campaign.goal,
    participants,
    startsAt: campaign.startsAt,
    endsAt: campaign.endsAt,
    outcome: campaign.outcome,
    createdAt: campaign.createdAt,
    publishedAt: campaign.publishedAt,
    editedAt: campaign.editedAt,
    closedAt: campaign.closedAt,
  };
}

export function updateJson(update: CampaignUpdate, url: string) {
  return {
    id: update.id,
    url,
    content: update.content,
    contentHtml: update.contentHtml,
    publishedAt: update.publishedAt,
  };
}

export function campaignDetail(
  campaign: Campaign,
  url: string,
  tally: Tally,
  updates: Array<ReturnType<typeof updateJson>>,
) {
  return {
    ...campaignSummary(campaign, url, tally.participants),
    description: campaign.description,
    descriptionHtml: campaign.descriptionHtml,
    voters: tally.voters,
    steps: tally.steps.map((s) => ({ id: s.id, position: s.position, text: s.text, participants: s.participants })),
    updates,
  };
}
