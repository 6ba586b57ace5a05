import type { Context, InboxContext } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { Accept, type Join, type Leave, Reject, isActor, type Actor, type Create, type Note } from "@fedify/vocab";
import { recordJoin, recordVote, removeJoin, type Campaign, type RemoteParticipant } from "../src/domain/campaigns";
import type { Community } from "../src/domain/communities";
import { learnServerSoftware } from "./server-software";
import { loaders, localTarget } from "./targets";
import type { Services } from "../src/services";

const logger = getLogger(["ensemble", "participation"]);

async function participant(
  ctx: InboxContext<Services>,
  activity: Create | Join,
): Promise<{ actor: Actor; row: RemoteParticipant } | undefined> {
  const actor = await activity.getActor(await loaders(ctx));
  if (!actor || !isActor(actor) || !actor.id || !actor.inboxId) return undefined;
  const row = {
    actorIri: actor.id.href,
    inboxUrl: actor.inboxId.href,
    sharedInboxUrl: actor.endpoints?.sharedInbox?.href ?? null,
  };
  await learnFrom(ctx, row);
  return { actor, row };
}

/** The server a participant is on, as its inboxes say. */
export const serverOf = (who: RemoteParticipant) => new URL(who.sharedInboxUrl ?? who.inboxUrl).origin;

/** A participant's server is up: learn what it shows campaigns as, for what is sent to it next. */
export const learnFrom = (ctx: Context<Services>, who: RemoteParticipant) => learnServerSoftware(ctx, serverOf(who));

/** A Mastodon-style poll vote: a Note whose `name` is the option, in reply to the campaign. */
export async function onVote(
  ctx: InboxContext<Services>,
  create: Create,
  note: Note,
  campaign: Campaign,
): Promise<void> {
  const voter = await participant(ctx, create);
  if (!voter) return;
  await countVote(ctx, campaign, note.name!.toString(), voter.row, note.id?.href ?? create.id!.href);
}

/** Counts a vote by a voter whose actor was read (here or by the inbox's fast lane); a counted vote schedules the tally. */
export async function countVote(
  ctx: Context<Services>,
  campaign: Campaign,
  option: string,
  voter: RemoteParticipant,
  voteIri: string,
): Promise<void> {
  const result = await recordVote(ctx.data.db, campaign, option, voter, voteIri);
  if (result.counted) await ctx.data.tasks?.scheduleTally(campaign.id);
  else logger.info("Vote from {actor} not counted: {reason}", { actor: voter.actorIri, reason: result.reason });
}

function reply(ctx: InboxContext<Services>, community: Community, join: Join, Kind: typeof Accept | typeof Reject) {
  const actor = ctx.getActorUri(community.handle);
  return new Kind({
    id: new URL(`#${Kind === Accept ? "accept" : "reject"}/${encodeURIComponent(join.id!.href)}`, actor),
    actor,
    object: join,
  });
}

/**
 * Mobilizon and others join an event-like object (a campaign's Event or Question) with Join,
 * answered by Accept or Reject. Mobilizon also joins Groups, meaning membership, which a
 * community does not have (it is followed): that Join is rejected, never left unanswered,
 * since Mobilizon shows the request as pending until it hears back.
 */
export async function onJoin(ctx: InboxContext<Services>, join: Join): Promise<void> {
  const target = await localTarget(ctx, join.objectId);
  if (!target || target.kind === "update" || !join.id) return;
  const who = await participant(ctx, join);
  if (!who || who.row.actorIri !== join.actorId?.href) return;
  if (target.kind === "community" || !target.campaign) {
    await ctx.sendActivity(
      { identifier: target.community.handle },
      who.actor,
      reply(ctx, target.community, join, Reject),
    );
    return;
  }
  const result = await recordJoin(ctx.data.db, target.campaign, who.row, join.id.href);
  if (result.counted) await ctx.data.tasks?.scheduleTally(target.campaign.id);
  // a blocked actor learns nothing; a closed campaign says no
  if (!result.counted && result.reason === "blocked") return;
  const answer = result.counted || result.reason === "already-counted" ? Accept : Reject;
  await ctx.sendActivity(
    { identifier: target.community.handle },
    who.actor,
    reply(ctx, target.community, join, answer),
  );
}

export async function onLeave(ctx: InboxContext<Services>, activity: Leave | Join, actorId: URL | null): Promise<void> {
  const target = await localTarget(ctx, activity.objectId);
  if (!target?.campaign || !actorId) return;
  if (await removeJoin(ctx.data.db, target.campaign.id, actorId.href))
    await ctx.data.tasks?.scheduleTally(target.campaign.id);
}
