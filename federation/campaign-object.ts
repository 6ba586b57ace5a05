import type { Context } from "@fedify/fedify";
import {
  Collection,
  Event,
  Hashtag,
  InteractionPolicy,
  InteractionRule,
  LanguageString,
  Mention,
  Note,
  PUBLIC_COLLECTION,
  Question,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Campaign, CampaignUpdate, Tally } from "../src/domain/campaigns";
import type { Community } from "../src/domain/communities";
import { escapeHtml } from "../src/domain/html";
import type { Services } from "../src/services";
import { forPlainJsonReaders, withWireJson } from "./wire-json";

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());

export function campaignUri(ctx: Context<Services>, community: Community, campaign: Campaign): URL {
  return ctx.getObjectUri(Question, { identifier: community.handle, id: campaign.id });
}

/** The same campaign as an Event, for event-first servers (Mobilizon): its own id, beside the Question's. */
export function eventUri(ctx: Context<Services>, community: Community, campaign: Campaign): URL {
  return ctx.getObjectUri(Event, { identifier: community.handle, id: campaign.id });
}

export function updateUri(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
  update: CampaignUpdate,
): URL {
  return ctx.getObjectUri(Note, { identifier: community.handle, id: campaign.id, updateId: update.id });
}

export const REPLIES = "campaign-replies";

export function repliesUri(ctx: Context<Services>, community: Community, campaign: Campaign): URL {
  return ctx.getCollectionUri(REPLIES, { identifier: community.handle, id: campaign.id });
}

/** Anyone may quote a campaign (FEP-044f, Mastodon 4.5); a QuoteRequest is accepted at once. */
const quotableByAnyone = () =>
  new InteractionPolicy({ canQuote: new InteractionRule({ automaticApproval: PUBLIC_COLLECTION }) });

function hashtags(ctx: Context<Services>, campaign: Campaign): Hashtag[] {
  return campaign.hashtags.map(
    (tag) => new Hashtag({ name: `#${tag}`, href: new URL(`/tags/${encodeURIComponent(tag)}`, ctx.origin) }),
  );
}

/**
 * A campaign as Mastodon and every server with polls shows it: a multiple-choice poll whose
 * options are the steps. `updated` is only set after a real edit: Mastodon shows a newer
 * `updated` as an edit (it resets the votes it holds only when the options change, which
 * Ensemble never allows once published). No `name`: Pleroma and Akkoma would show it above
 * the content, which already starts with the title.
 */
export function campaignQuestion(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
  tally: Tally,
): Question {
  const id = campaignUri(ctx, community, campaign);
  const lang = campaign.language;
  const content =
    `<p><strong>${escapeHtml(campaign.title)}</strong></p>${campaign.descriptionHtml}` +
    `<p><a href="${id.href}">${escapeHtml(id.href)}</a></p>`;
  const question = new Question({
    id,
    attribution: ctx.getActorUri(community.handle),
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(community.handle),
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
    tags: hashtags(ctx, campaign),
    replies: repliesUri(ctx, community, campaign),
    interactionPolicy: quotableByAnyone(),
  });
  return withWireJson(question, forPlainJsonReaders);
}

const MOBILIZON_CONTEXT = {
  mz: "https://joinmobilizon.org/ns#",
  sc: "http://schema.org#",
  participantCount: { "@id": "mz:participantCount", "@type": "sc:Integer" },
  joinMode: { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
};

/**
 * Mobilizon's own Event properties, which Fedify's vocabulary lacks: how many take part, and
 * that anyone may join (its Join is answered at once). Applies to an Event or an activity
 * carrying one.
 */
export function mobilizonFields(participants: number) {
  return (json: Record<string, unknown>) => {
    const object = json.type === "Event" ? json : (json.object as Record<string, unknown> | undefined);
    if (object?.type !== "Event") return json;
    const context = json["@context"];
    json["@context"] = [...(Array.isArray(context) ? context : context ? [context] : []), MOBILIZON_CONTEXT];
    const event = { ...object, participantCount: participants, joinMode: "free" };
    return object === json ? { ...json, ...event, "@context": json["@context"] } : { ...json, object: event };
  };
}

/**
 * The campaign for event-first servers (Mobilizon), whose inbox drops a Question: an Event
 * running from its start to its end, linking the campaign page, with the participant count.
 * Its Join and Leave count as joining and leaving the campaign.
 */
export function campaignEvent(ctx: Context<Services>, community: Community, campaign: Campaign, tally: Tally): Event {
  const page = campaignUri(ctx, community, campaign);
  const content = `${campaign.descriptionHtml}<p><a href="${page.href}">${escapeHtml(page.href)}</a></p>`;
  const event = new Event({
    id: eventUri(ctx, community, campaign),
    attribution: ctx.getActorUri(community.handle),
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(community.handle),
    // an Event has no other title: Mobilizon shows `name` as the event's title
    name: campaign.title,
    contents: [content, new LanguageString(content, campaign.language)],
    url: page,
    startTime: instant(campaign.startsAt),
    endTime: instant(campaign.closedAt ?? campaign.endsAt),
    published: campaign.publishedAt ? instant(campaign.publishedAt) : null,
    updated: campaign.editedAt ? instant(campaign.editedAt) : null,
    tags: hashtags(ctx, campaign),
  });
  return withWireJson(event, mobilizonFields(tally.participants));
}

export interface UpdateAddressing {
  /** Participants on the receiving server, addressed and mentioned so that it accepts the post. */
  participants?: string[];
  /** Event-first servers get the update as a comment on the Event they know. */
  replyTo?: URL;
}

/**
 * An update as a top-level post that links the campaign: Mastodon keeps replies to statuses
 * it does not hold out of home timelines, and most participants' servers never got the poll.
 * Participants are named only in the copy sent to their own server, never in the public post.
 */
export function updateNote(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
  update: CampaignUpdate,
  addressing: UpdateAddressing = {},
): Note {
  const page = campaignUri(ctx, community, campaign);
  const content =
    `<p><strong>${escapeHtml(campaign.title)}</strong></p>${update.contentHtml}` +
    `<p><a href="${page.href}">${escapeHtml(page.href)}</a></p>`;
  const participants = (addressing.participants ?? []).map((iri) => new URL(iri));
  const note = new Note({
    id: updateUri(ctx, community, campaign, update),
    attribution: ctx.getActorUri(community.handle),
    replyTarget: addressing.replyTo ?? null,
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(community.handle), ...participants],
    contents: [content, new LanguageString(content, campaign.language)],
    url: page,
    published: instant(update.publishedAt),
    tags: [...participants.map((href) => new Mention({ href })), ...hashtags(ctx, campaign)],
    interactionPolicy: quotableByAnyone(),
  });
  return withWireJson(note, forPlainJsonReaders);
}
