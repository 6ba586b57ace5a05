import type { Context } from "@fedify/fedify";
import { Block, Create, Delete, PUBLIC_COLLECTION, Tombstone, Undo, Update, isActor, type Recipient } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { listParticipants, tally, type Campaign, type CampaignUpdate, type RemoteParticipant } from "../src/domain/campaigns";
import type { Community } from "../src/domain/communities";
import { listFollowers, removeFollower } from "../src/domain/followers";
import { campaignQuestion, campaignUri, updateNote } from "./campaign-object";
import type { Services } from "./services";
import { loaders } from "./targets";

function toRecipients(rows: RemoteParticipant[]): Recipient[] {
  const seen = new Map<string, Recipient>();
  for (const r of rows) {
    if (seen.has(r.actorIri)) continue;
    seen.set(r.actorIri, {
      id: new URL(r.actorIri),
      inboxId: new URL(r.inboxUrl),
      endpoints: r.sharedInboxUrl ? { sharedInbox: new URL(r.sharedInboxUrl) } : null,
    });
  }
  return [...seen.values()];
}

/** Followers, plus (for what changes a campaign) everyone who took part in it. */
async function audience(ctx: Context<Services>, community: Community, campaign?: Campaign): Promise<RemoteParticipant[]> {
  const followers: RemoteParticipant[] = await listFollowers(ctx.data.db, community.id);
  return campaign ? [...followers, ...(await listParticipants(ctx.data.db, campaign.id))] : followers;
}

/** Every campaign activity is public, from the Group, copied to its followers. */
const addressing = (ctx: Context<Services>, community: Community) => ({
  actor: ctx.getActorUri(community.handle),
  to: PUBLIC_COLLECTION,
  cc: ctx.getFollowersUri(community.handle),
});

/**
 * Sends to each server once: followers and participants on the same server share its shared
 * inbox, and Fedify queues one delivery per inbox.
 */
async function send(ctx: Context<Services>, community: Community, rows: RemoteParticipant[], activity: Create | Update | Delete) {
  const recipients = toRecipients(rows);
  if (recipients.length === 0) return;
  await ctx.sendActivity({ identifier: community.handle }, recipients, activity, { preferSharedInbox: true });
}

const stamp = () => Date.now().toString(36);

export async function announceCampaign(ctx: Context<Services>, community: Community, campaign: Campaign): Promise<void> {
  const question = campaignQuestion(ctx, community, campaign, await tally(ctx.data.db, campaign.id));
  const create = new Create({
    id: new URL(`${question.id!.href}#create`),
    ...addressing(ctx, community),
    object: question,
    published: question.published,
  });
  await send(ctx, community, await audience(ctx, community), create);
}

/** New counts, an edit, or closing: followers and everyone who took part get the poll again. */
export async function announceCampaignEdit(ctx: Context<Services>, community: Community, campaign: Campaign): Promise<void> {
  const question = campaignQuestion(ctx, community, campaign, await tally(ctx.data.db, campaign.id));
  const update = new Update({ id: new URL(`${question.id!.href}#update-${stamp()}`), ...addressing(ctx, community), object: question });
  await send(ctx, community, await audience(ctx, community, campaign), update);
}

export async function announceCampaignDeleted(ctx: Context<Services>, community: Community, campaign: Campaign): Promise<void> {
  const id = campaignUri(ctx, community, campaign);
  const del = new Delete({
    id: new URL(`${id.href}#delete`),
    ...addressing(ctx, community),
    object: new Tombstone({
      id,
      deleted: Temporal.Instant.fromEpochMilliseconds((campaign.deletedAt ?? new Date()).getTime()),
    }),
  });
  await send(ctx, community, await audience(ctx, community, campaign), del);
}

export async function announceCampaignUpdate(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
  update: CampaignUpdate,
): Promise<void> {
  const note = updateNote(ctx, community, campaign, update);
  const create = new Create({
    id: new URL(`${note.id!.href}#create`),
    ...addressing(ctx, community),
    object: note,
    published: note.published,
  });
  await send(ctx, community, await audience(ctx, community, campaign), create);
}

/** The Block of an account, named by when the block was made, so that lifting it can undo the same Block. */
function blockActivity(ctx: Context<Services>, community: Community, actorIri: string, blockedAt: Date): Block {
  const id = ctx.getActorUri(community.handle);
  return new Block({ id: new URL(`#blocks/${blockedAt.getTime().toString(36)}/${encodeURIComponent(actorIri)}`, id), actor: id, object: new URL(actorIri) });
}

/**
 * Tells a blocked account, as Mastodon does for its users' blocks, so its server stops showing
 * the community's posts to it; it no longer follows the community. Domain blocks stay silent.
 */
export async function announceBlock(ctx: Context<Services>, community: Community, actorIri: string, blockedAt: Date): Promise<void> {
  const actor = await ctx.lookupObject(actorIri, await loaders(ctx));
  if (!isActor(actor)) return;
  await removeFollower(ctx.data.db, community.id, actorIri);
  await ctx.sendActivity({ identifier: community.handle }, actor, blockActivity(ctx, community, actorIri, blockedAt));
}

/** Undoes the Block when a block on an account is lifted; the account may follow again. */
export async function announceUnblock(ctx: Context<Services>, community: Community, actorIri: string, blockedAt: Date): Promise<void> {
  const actor = await ctx.lookupObject(actorIri, await loaders(ctx));
  if (!isActor(actor)) return;
  const block = blockActivity(ctx, community, actorIri, blockedAt);
  await ctx.sendActivity({ identifier: community.handle }, actor, new Undo({ id: new URL(`${block.id!.href}/undo`), actor: block.actorId, object: block }));
}
