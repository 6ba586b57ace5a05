import { and, asc, count, countDistinct, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import {
  campaigns,
  campaignSteps,
  campaignUpdates,
  participations,
  type Campaign,
  type CampaignStep,
  type CampaignUpdate,
  type NewParticipation,
} from "../../drizzle/schema";
import type { Db } from "../db/database";
import { isBlocked } from "./blocks";
import { renderMarkdown } from "./html";

/** The row types live beside their tables; re-exported for this module's callers. */
export type { Campaign, CampaignStep, CampaignUpdate };

const fields = {
  title: z.string().trim().min(1, "a campaign needs a title").max(200),
  description: z.string().max(20_000),
  // Steps become poll options, and Mastodon cuts options at 50 characters.
  steps: z
    .array(
      z
        .string()
        .trim()
        .min(1, "a step cannot be empty")
        .max(50, "a step is at most 50 characters (a Mastodon poll option)"),
    )
    .min(1, "a campaign has 1 to 6 steps")
    .max(6, "a campaign has 1 to 6 steps")
    .refine((s) => new Set(s).size === s.length, "two steps cannot have the same text"),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a language tag such as fr or en"),
  hashtags: z
    .array(
      z
        .string()
        .regex(/^#?[\p{L}\p{N}_]+$/u, "a hashtag is letters, digits or _")
        .transform((h) => h.replace(/^#/, "")),
    )
    .max(10),
  goal: z.number().int().positive().max(10_000_000).nullable(),
};

const endsAfterStart = (c: { startsAt?: Date; endsAt?: Date }) => !c.startsAt || !c.endsAt || c.endsAt > c.startsAt;
const endsAfterStartIssue = { message: "the end must come after the start", path: ["endsAt"] };

export const newCampaign = z
  .object({
    ...fields,
    description: fields.description.default(""),
    language: fields.language.default("fr"),
    hashtags: fields.hashtags.default([]),
    goal: fields.goal.default(null),
  })
  .refine(endsAfterStart, endsAfterStartIssue);

export const campaignPatch = z.object(fields).partial().refine(endsAfterStart, endsAfterStartIssue);

export class CampaignStateError extends Error {}

export async function createCampaign(
  db: Db,
  communityId: string,
  input: z.input<typeof newCampaign>,
): Promise<Campaign> {
  const { steps, ...values } = newCampaign.parse(input);
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .insert(campaigns)
      .values({ ...values, communityId, descriptionHtml: renderMarkdown(values.description) })
      .returning();
    await tx.insert(campaignSteps).values(steps.map((text, position) => ({ campaignId: campaign.id, position, text })));
    return campaign;
  });
}

/**
 * Edits a campaign. Steps are poll options: once published they are fixed, since Mastodon
 * discards every vote when the options of a poll change.
 */
export async function editCampaign(
  db: Db,
  campaign: Campaign,
  input: z.input<typeof campaignPatch>,
): Promise<Campaign> {
  const patch = campaignPatch.parse(input);
  if (campaign.deletedAt || campaign.status === "closed")
    throw new CampaignStateError("A closed or deleted campaign cannot be edited.");
  const { steps, ...values } = patch;
  if (steps && campaign.status !== "draft")
    throw new CampaignStateError("Steps cannot change once the campaign is published.");
  const merged = { ...campaign, ...values };
  if (!endsAfterStart(merged)) throw new CampaignStateError(endsAfterStartIssue.message);
  const changes = {
    ...values,
    ...(values.description !== undefined ? { descriptionHtml: renderMarkdown(values.description) } : {}),
  };
  return db.transaction(async (tx) => {
    let updated = campaign;
    if (Object.keys(changes).length > 0) {
      [updated] = await tx
        .update(campaigns)
        .set({ ...changes, ...(campaign.status === "open" ? { editedAt: new Date() } : {}) })
        .where(eq(campaigns.id, campaign.id))
        .returning();
    }
    if (steps) {
      await tx.delete(campaignSteps).where(eq(campaignSteps.campaignId, campaign.id));
      await tx
        .insert(campaignSteps)
        .values(steps.map((text, position) => ({ campaignId: campaign.id, position, text })));
    }
    return updated;
  });
}

async function setState(
  db: Db,
  campaign: Campaign,
  from: Campaign["status"],
  values: Partial<Campaign>,
): Promise<Campaign> {
  if (campaign.deletedAt) throw new CampaignStateError("This campaign was deleted.");
  if (campaign.status !== from)
    throw new CampaignStateError(`Only a ${from} campaign can do that; this one is ${campaign.status}.`);
  // conditional on the state read, so two concurrent requests cannot both publish (or close)
  const [updated] = await db
    .update(campaigns)
    .set(values)
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.status, from), isNull(campaigns.deletedAt)))
    .returning();
  if (!updated) throw new CampaignStateError("This campaign changed meanwhile; reload it.");
  return updated;
}

export const publishCampaign = (db: Db, campaign: Campaign) =>
  setState(db, campaign, "draft", { status: "open", publishedAt: new Date() });

/** A campaign whose end has passed would go out as a poll nobody can answer (the API and the console refuse it). */
export function assertPublishable(campaign: Campaign, now = new Date()): void {
  if (campaign.endsAt <= now)
    throw new CampaignStateError("its end has passed; change the end date before publishing.");
}

export const closeCampaign = (db: Db, campaign: Campaign, outcome: string) =>
  setState(db, campaign, "open", { status: "closed", closedAt: new Date(), outcome });

export async function deleteCampaign(db: Db, campaign: Campaign): Promise<Campaign> {
  if (campaign.deletedAt) throw new CampaignStateError("This campaign was already deleted.");
  const [updated] = await db
    .update(campaigns)
    .set({ deletedAt: new Date() })
    .where(eq(campaigns.id, campaign.id))
    .returning();
  return updated;
}

export async function addCampaignUpdate(db: Db, campaign: Campaign, content: string): Promise<CampaignUpdate> {
  if (campaign.status !== "open" && campaign.status !== "closed")
    throw new CampaignStateError("Publish the campaign before posting updates.");
  if (campaign.deletedAt) throw new CampaignStateError("This campaign was deleted.");
  const text = z.string().trim().min(1, "an update cannot be empty").max(5000).parse(content);
  const [update] = await db
    .insert(campaignUpdates)
    .values({ campaignId: campaign.id, content: text, contentHtml: renderMarkdown(text) })
    .returning();
  return update;
}

export async function findCampaign(db: Db, id: string): Promise<Campaign | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return campaign;
}

/**
 * Who may see a campaign named under a community's address, one rule for every page, API and
 * dispatcher: it must be that community's (another community's id names nothing there); its
 * stewards see drafts; the public sees it once published; a deleted one is gone (a page may
 * say so with 410, where other addresses answer 404).
 */
export const isCampaignOf = (community: { id: string }, campaign: Campaign): boolean =>
  campaign.communityId === community.id;

/** Published (deleted or not): what the public may ask for by its address. */
export const isPublishedCampaignOf = (community: { id: string }, campaign: Campaign): boolean =>
  isCampaignOf(community, campaign) && campaign.status !== "draft";

/** Published and not deleted: what the public is shown. */
export const isLiveCampaignOf = (community: { id: string }, campaign: Campaign): boolean =>
  isPublishedCampaignOf(community, campaign) && !campaign.deletedAt;

export async function listCampaigns(
  db: Db,
  communityId: string,
  opts: { includeDrafts?: boolean } = {},
): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.communityId, communityId),
        isNull(campaigns.deletedAt),
        opts.includeDrafts ? undefined : sql`${campaigns.status} <> 'draft'`,
      ),
    )
    .orderBy(desc(campaigns.createdAt));
}

export async function listSteps(db: Db, campaignId: string): Promise<CampaignStep[]> {
  return db
    .select()
    .from(campaignSteps)
    .where(eq(campaignSteps.campaignId, campaignId))
    .orderBy(asc(campaignSteps.position));
}

export async function listCampaignUpdates(db: Db, campaignId: string): Promise<CampaignUpdate[]> {
  return db
    .select()
    .from(campaignUpdates)
    .where(eq(campaignUpdates.campaignId, campaignId))
    .orderBy(asc(campaignUpdates.publishedAt));
}

export async function findCampaignUpdate(db: Db, id: string): Promise<CampaignUpdate | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const [update] = await db.select().from(campaignUpdates).where(eq(campaignUpdates.id, id));
  return update;
}

export interface Tally {
  steps: Array<CampaignStep & { participants: number }>;
  /** Distinct actors who voted for at least one step (Mastodon's votersCount). */
  voters: number;
  /** Distinct actors taking part in any way, votes and joins together. */
  participants: number;
}

export async function tally(db: Db, campaignId: string): Promise<Tally> {
  const steps = await listSteps(db, campaignId);
  const perStep = await db
    .select({ stepId: participations.stepId, n: countDistinct(participations.actorIri) })
    .from(participations)
    .where(eq(participations.campaignId, campaignId))
    .groupBy(participations.stepId);
  const counts = new Map(perStep.map((r) => [r.stepId, r.n]));
  const [totals] = await db
    .select({
      voters:
        sql<number>`count(distinct ${participations.actorIri}) filter (where ${participations.via} = 'vote')`.mapWith(
          Number,
        ),
      participants: countDistinct(participations.actorIri),
    })
    .from(participations)
    .where(eq(participations.campaignId, campaignId));
  return {
    steps: steps.map((s) => ({ ...s, participants: counts.get(s.id) ?? 0 })),
    voters: totals.voters,
    participants: totals.participants,
  };
}

export interface RemoteParticipant {
  actorIri: string;
  inboxUrl: string;
  sharedInboxUrl: string | null;
}

export type ParticipationResult =
  | { counted: true }
  | { counted: false; reason: "unknown-step" | "already-counted" | "not-open" | "not-started" | "ended" | "blocked" };

async function admissible(db: Db, campaign: Campaign, actorIri: string, now: Date): Promise<ParticipationResult> {
  if (campaign.status !== "open" || campaign.deletedAt) return { counted: false, reason: "not-open" };
  // votes and joins count only within [startsAt, endsAt]
  if (now < campaign.startsAt) return { counted: false, reason: "not-started" };
  if (now > campaign.endsAt) return { counted: false, reason: "ended" };
  if (await isBlocked(db, campaign.communityId, actorIri)) return { counted: false, reason: "blocked" };
  return { counted: true };
}

// The unique (campaign, step, actor) constraint makes a second vote or join a no-op, even when two arrive at once.
async function insertParticipation(db: Db, values: NewParticipation): Promise<ParticipationResult> {
  const rows = await db
    .insert(participations)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: participations.id });
  return rows.length ? { counted: true } : { counted: false, reason: "already-counted" };
}

/** A poll vote: the option's text names the step. */
export async function recordVote(
  db: Db,
  campaign: Campaign,
  stepText: string,
  participant: RemoteParticipant,
  activityIri: string,
  now = new Date(),
): Promise<ParticipationResult> {
  const check = await admissible(db, campaign, participant.actorIri, now);
  if (!check.counted) return check;
  const step = (await listSteps(db, campaign.id)).find((s) => s.text === stepText.trim());
  if (!step) return { counted: false, reason: "unknown-step" };
  return insertParticipation(db, {
    campaignId: campaign.id,
    stepId: step.id,
    via: "vote",
    activityIri,
    ...participant,
  });
}

/** A Mobilizon-style Join of the whole campaign. */
export async function recordJoin(
  db: Db,
  campaign: Campaign,
  participant: RemoteParticipant,
  activityIri: string,
  now = new Date(),
): Promise<ParticipationResult> {
  const check = await admissible(db, campaign, participant.actorIri, now);
  if (!check.counted) return check;
  return insertParticipation(db, { campaignId: campaign.id, stepId: null, via: "join", activityIri, ...participant });
}

/** Leave or Undo(Join): the actor no longer takes part in the campaign as a whole. */
export async function removeJoin(db: Db, campaignId: string, actorIri: string): Promise<boolean> {
  const rows = await db
    .delete(participations)
    .where(
      and(
        eq(participations.campaignId, campaignId),
        eq(participations.actorIri, actorIri),
        eq(participations.via, "join"),
      ),
    )
    .returning({ id: participations.id });
  return rows.length > 0;
}

/** Every vote and join of an account (a deleted one); returns the campaigns whose counts changed. */
export async function removeParticipant(db: Db, actorIri: string): Promise<string[]> {
  const rows = await db
    .delete(participations)
    .where(eq(participations.actorIri, actorIri))
    .returning({ campaignId: participations.campaignId });
  return [...new Set(rows.map((r) => r.campaignId))];
}

/** Everyone who took part, for sending them the new counts. */
export async function listParticipants(db: Db, campaignId: string): Promise<RemoteParticipant[]> {
  return db
    .selectDistinctOn([participations.actorIri], {
      actorIri: participations.actorIri,
      inboxUrl: participations.inboxUrl,
      sharedInboxUrl: participations.sharedInboxUrl,
    })
    .from(participations)
    .where(eq(participations.campaignId, campaignId));
}

/** Open campaigns, newest first: a community's `featured` collection, which Mastodon shows on its profile. */
export async function listOpenCampaigns(db: Db, communityId: string): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.communityId, communityId), eq(campaigns.status, "open"), isNull(campaigns.deletedAt)))
    .orderBy(desc(campaigns.publishedAt));
}

export type CommunityPost =
  | { kind: "campaign"; campaign: Campaign; at: Date }
  | { kind: "update"; campaign: Campaign; update: CampaignUpdate; at: Date };

const published = (communityId: string) =>
  and(eq(campaigns.communityId, communityId), sql`${campaigns.status} <> 'draft'`, isNull(campaigns.deletedAt));

/** How many posts a community has out there: its published campaigns and their updates (its outbox's count). */
export async function countCommunityPosts(db: Db, communityId: string): Promise<number> {
  const [c] = await db.select({ n: count() }).from(campaigns).where(published(communityId));
  const [u] = await db
    .select({ n: count() })
    .from(campaignUpdates)
    .innerJoin(campaigns, eq(campaignUpdates.campaignId, campaigns.id))
    .where(published(communityId));
  return c.n + u.n;
}

/** One page of a community's posts, newest first: what its outbox lists. */
export async function listCommunityPosts(
  db: Db,
  communityId: string,
  offset: number,
  limit: number,
): Promise<CommunityPost[]> {
  const upTo = offset + limit;
  const campaignRows = await db
    .select()
    .from(campaigns)
    .where(published(communityId))
    .orderBy(desc(campaigns.publishedAt))
    .limit(upTo);
  const updateRows = await db
    .select()
    .from(campaignUpdates)
    .innerJoin(campaigns, eq(campaignUpdates.campaignId, campaigns.id))
    .where(published(communityId))
    .orderBy(desc(campaignUpdates.publishedAt))
    .limit(upTo);
  const posts: CommunityPost[] = [
    ...campaignRows.map((campaign) => ({
      kind: "campaign" as const,
      campaign,
      at: campaign.publishedAt ?? campaign.createdAt,
    })),
    ...updateRows.map((r) => ({
      kind: "update" as const,
      campaign: r.campaigns,
      update: r.campaign_updates,
      at: r.campaign_updates.publishedAt,
    })),
  ];
  return posts.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(offset, upTo);
}
