import type { Context } from "@fedify/fedify";
import { Collection, Hashtag, LanguageString, Note, PUBLIC_COLLECTION, Question } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Campaign, CampaignUpdate, Tally } from "../src/domain/campaigns";
import type { Community } from "../src/domain/communities";
import type { Services } from "./services";

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function campaignUri(ctx: Context<Services>, community: Community, campaign: Campaign): URL {
  return ctx.getObjectUri(Question, { identifier: community.handle, id: campaign.id });
}

export function updateUri(ctx: Context<Services>, community: Community, campaign: Campaign, update: CampaignUpdate): URL {
  return ctx.getObjectUri(Note, { identifier: community.handle, id: campaign.id, updateId: update.id });
}

/**
 * A campaign as Mastodon and every server with polls shows it: a multiple-choice poll whose
 * options are the steps. `updated` is only set after a real edit, because Mastodon reads a
 * newer `updated` on a poll as an edit and wipes its votes.
 */
export function campaignQuestion(ctx: Context<Services>, community: Community, campaign: Campaign, tally: Tally): Question {
  const id = campaignUri(ctx, community, campaign);
  const lang = campaign.language;
  const content =
    `<p><strong>${escapeHtml(campaign.title)}</strong></p>${campaign.descriptionHtml}` +
    `<p><a href="${id.href}">${escapeHtml(id.href)}</a></p>`;
  return new Question({
    id,
    attribution: ctx.getActorUri(community.handle),
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(community.handle),
    name: campaign.title,
    // plain `content` for servers that ignore contentMap, the map for those that show a language
    contents: [content, new LanguageString(content, lang)],
    url: id,
    published: campaign.publishedAt ? instant(campaign.publishedAt) : null,
    updated: campaign.editedAt ? instant(campaign.editedAt) : null,
    endTime: instant(campaign.closedAt ?? campaign.endsAt),
    closed: campaign.closedAt ? instant(campaign.closedAt) : null,
    inclusiveOptions: tally.steps.map(
      (step) => new Note({ name: step.text, replies: new Collection({ totalItems: step.participants }) }),
    ),
    voters: tally.voters,
    tags: campaign.hashtags.map(
      (tag) => new Hashtag({ name: `#${tag}`, href: new URL(`/tags/${encodeURIComponent(tag)}`, ctx.origin) }),
    ),
  });
}

export function updateNote(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
  update: CampaignUpdate,
): Note {
  return new Note({
    id: updateUri(ctx, community, campaign, update),
    attribution: ctx.getActorUri(community.handle),
    replyTarget: campaignUri(ctx, community, campaign),
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(community.handle),
    contents: [update.contentHtml, new LanguageString(update.contentHtml, campaign.language)],
    url: campaignUri(ctx, community, campaign),
    published: instant(update.publishedAt),
  });
}
