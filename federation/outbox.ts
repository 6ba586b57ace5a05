import type { Context } from "@fedify/fedify";
import {
  Block,
  Create,
  Delete,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  Update,
  isActor,
  type Activity,
  type Event,
  type Question,
  type Recipient,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import {
  listCampaignUpdates,
  listParticipants,
  tally,
  type Campaign,
  type CampaignUpdate,
  type RemoteParticipant,
} from "../src/domain/campaigns";
import type { Community } from "../src/domain/communities";
import { listFollowers, removeFollower } from "../src/domain/followers";
import { campaignEvent, campaignQuestion, eventUri, mobilizonFields, updateNote, updateUri } from "./campaign-object";
import { campaignFormFor, type CampaignForm } from "./server-software";
import { forPlainJsonReaders, withWireJson } from "./wire-json";
import type { Services } from "../src/services";
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

/** A follower or participant, and whether it took part in the campaign at hand. */
type Addressee = RemoteParticipant & { participant: boolean };

/** Followers, plus (for what concerns a campaign) everyone who took part in it. */
async function audience(ctx: Context<Services>, community: Community, campaign?: Campaign): Promise<Addressee[]> {
  const followers = (await listFollowers(ctx.data.db, community.id)).map((f) => ({ ...f, participant: false }));
  if (!campaign) return followers;
  const participants = (await listParticipants(ctx.data.db, campaign.id)).map((p) => ({ ...p, participant: true }));
  return [...followers, ...participants];
}

/** The servers among the addressees, each with its addressees and the form of a campaign it understands. */
async function servers(
  ctx: Context<Services>,
  rows: Addressee[],
): Promise<Array<{ form: CampaignForm; rows: Addressee[] }>> {
  const byServer = new Map<string, Addressee[]>();
  for (const r of rows) {
    // one delivery per shared inbox, or per inbox where a server has none
    const key = r.sharedInboxUrl ?? r.inboxUrl;
    byServer.set(key, [...(byServer.get(key) ?? []), r]);
  }
  return Promise.all(
    [...byServer.entries()].map(async ([inbox, rows]) => ({
      form: await campaignFormFor(ctx, new URL(inbox).origin),
      rows,
    })),
  );
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
async function send(ctx: Context<Services>, community: Community, rows: RemoteParticipant[], activity: Activity) {
  const recipients = toRecipients(rows);
  if (recipients.length === 0) return;
  await ctx.sendActivity({ identifier: community.handle }, recipients, activity, { preferSharedInbox: true });
}

/** Sends each server the campaign in the form it understands: a Question (poll) or an Event. */
async function sendInForm(
  ctx: Context<Services>,
  community: Community,
  rows: Addressee[],
  build: (object: Question | Event) => Activity,
  campaign: Campaign,
): Promise<void> {
  const t = await tally(ctx.data.db, campaign.id);
  const groups = await servers(ctx, rows);
  for (const form of ["poll", "event"] as const) {
    const forForm = groups.filter((g) => g.form === form).flatMap((g) => g.rows);
    if (forForm.length === 0) continue;
    // an activity carrying the campaign is serialized with the same adjustments as the campaign itself
    const [object, adjust] =
      form === "poll"
        ? [campaignQuestion(ctx, community, campaign, t), forPlainJsonReaders]
        : [campaignEvent(ctx, community, campaign, t), mobilizonFields(t.participants)];
    await send(ctx, community, forForm, withWireJson(build(object), adjust));
  }
}

const stamp = () => Date.now().toString(36);

export async function announceCampaign(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
): Promise<void> {
  await sendInForm(
    ctx,
    community,
    await audience(ctx, community),
    (object) =>
      new Create({
        id: new URL(`${object.id!.href}#create`),
        ...addressing(ctx, community),
        object,
        published: object.published,
      }),
    campaign,
  );
}

/** New counts, an edit, or closing: followers and everyone who took part get the campaign again. */
export async function announceCampaignEdit(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
): Promise<void> {
  await sendInForm(
    ctx,
    community,
    await audience(ctx, community, campaign),
    (object) =>
      new Update({ id: new URL(`${object.id!.href}#update-${stamp()}`), ...addressing(ctx, community), object }),
    campaign,
  );
}

function deletion(ctx: Context<Services>, community: Community, id: URL, deletedAt: Date): Delete {
  return new Delete({
    id: new URL(`${id.href}#delete`),
    ...addressing(ctx, community),
    object: new Tombstone({ id, deleted: Temporal.Instant.fromEpochMilliseconds(deletedAt.getTime()) }),
  });
}

/** The campaign and every update posted about it are deleted wherever they went. */
export async function announceCampaignDeleted(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
): Promise<void> {
  const deletedAt = campaign.deletedAt ?? new Date();
  const rows = await audience(ctx, community, campaign);
  await sendInForm(ctx, community, rows, (object) => deletion(ctx, community, object.id!, deletedAt), campaign);
  for (const update of await listCampaignUpdates(ctx.data.db, campaign.id)) {
    await send(ctx, community, rows, deletion(ctx, community, updateUri(ctx, community, campaign, update), deletedAt));
  }
}

/**
 * An update goes to every follower's and participant's server as a top-level post linking the
 * campaign. Mastodon drops a public post from an account nobody there follows unless it
 * addresses one of its accounts (`related_to_local_activity?`), so each server's copy
 * addresses and mentions its own participants, and no other server's.
 */
export async function announceCampaignUpdate(
  ctx: Context<Services>,
  community: Community,
  campaign: Campaign,
  update: CampaignUpdate,
): Promise<void> {
  for (const server of await servers(ctx, await audience(ctx, community, campaign))) {
    const participants = [...new Set(server.rows.filter((r) => r.participant).map((r) => r.actorIri))];
    const replyTo = server.form === "event" ? eventUri(ctx, community, campaign) : undefined;
    const note = updateNote(ctx, community, campaign, update, { participants, replyTo });
    const create = new Create({
      id: new URL(`${note.id!.href}#create`),
      actor: ctx.getActorUri(community.handle),
      to: PUBLIC_COLLECTION,
      ccs: note.ccIds,
      object: note,
      published: note.published,
    });
    await send(ctx, community, server.rows, withWireJson(create, forPlainJsonReaders));
  }
}

/** The Block of an account, named by when the block was made, so that lifting it can undo the same Block. */
function blockActivity(ctx: Context<Services>, community: Community, actorIri: string, blockedAt: Date): Block {
  const id = ctx.getActorUri(community.handle);
  return new Block({
    id: new URL(`#blocks/${blockedAt.getTime().toString(36)}/${encodeURIComponent(actorIri)}`, id),
    actor: id,
    object: new URL(actorIri),
  });
}

/**
 * Tells a blocked account, as Mastodon does for its users' blocks, so its server stops showing
 * the community's posts to it; it no longer follows the community. Domain blocks stay silent.
 */
export async function announceBlock(
  ctx: Context<Services>,
  community: Community,
  actorIri: string,
  blockedAt: Date,
): Promise<void> {
  const actor = await ctx.lookupObject(actorIri, await loaders(ctx));
  if (!isActor(actor)) return;
  await removeFollower(ctx.data.db, community.id, actorIri);
  await ctx.sendActivity({ identifier: community.handle }, actor, blockActivity(ctx, community, actorIri, blockedAt));
}

/** Undoes the Block when a block on an account is lifted; the account may follow again. */
export async function announceUnblock(
  ctx: Context<Services>,
  community: Community,
  actorIri: string,
  blockedAt: Date,
): Promise<void> {
  const actor = await ctx.lookupObject(actorIri, await loaders(ctx));
  if (!isActor(actor)) return;
  const block = blockActivity(ctx, community, actorIri, blockedAt);
  await ctx.sendActivity(
    { identifier: community.handle },
    actor,
    new Undo({ id: new URL(`${block.id!.href}/undo`), actor: block.actorId, object: block }),
  );
}
