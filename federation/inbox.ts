import type { Federation, InboxContext } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import {
  Accept,
  Create,
  Reject,
  Delete,
  Flag,
  Follow,
  Join,
  Leave,
  Note,
  QuoteRequest,
  Undo,
  Update,
  isActor,
  type Actor,
} from "@fedify/vocab";
import { isBlocked } from "../src/domain/blocks";
import { addFollower, removeFollower } from "../src/domain/followers";
import { deletesItsActor, onAccountDeleted, onUnverifiedActivity } from "./account-deletion";
import { onFlag } from "./moderation";
import { onJoin, onLeave, onVote } from "./participation";
import { onQuoteRequest } from "./quotes";
import { noteTarget, onDelete, onNoteUpdate, onReply } from "./replies";
import { learnServerSoftware } from "./server-software";
import { INSTANCE_ACTOR, type Services } from "../src/services";
import { loaders, localTarget } from "./targets";

const logger = getLogger(["ensemble", "inbox"]);

async function onFollow(ctx: InboxContext<Services>, follow: Follow): Promise<void> {
  const target = await localTarget(ctx, follow.objectId);
  if (target?.kind !== "community" || !follow.id || !follow.actorId) return;
  const { community } = target;
  const follower = await follow.getActor(await loaders(ctx));
  if (!follower || !isActor(follower) || !follower.inboxId) {
    logger.warn("Follow from {actor} ignored: its actor has no inbox", { actor: follow.actorId.href });
    return;
  }
  // a blocked account (or one on a blocked domain) cannot follow again: it is told no
  const blocked = await isBlocked(ctx.data.db, community.id, follower.id!.href);
  if (blocked) {
    logger.info("Follow from {actor} rejected: blocked", { actor: follower.id!.href });
  } else {
    await learnServerSoftware(ctx, new URL(follower.inboxId.href).origin);
    await addFollower(ctx.data.db, {
      communityId: community.id,
      actorIri: follower.id!.href,
      inboxUrl: follower.inboxId.href,
      sharedInboxUrl: follower.endpoints?.sharedInbox?.href ?? null,
      followIri: follow.id.href,
    });
  }
  const Answer = blocked ? Reject : Accept;
  await ctx.sendActivity(
    { identifier: community.handle },
    follower as Actor,
    new Answer({
      id: new URL(
        `#${blocked ? "rejects" : "accepts"}/${encodeURIComponent(follow.id.href)}`,
        ctx.getActorUri(community.handle),
      ),
      actor: ctx.getActorUri(community.handle),
      object: follow,
    }),
  );
}

/**
 * Only an author creates or edits its own notes, and a note lives on its author's server
 * (FEP-fe34): otherwise anyone could take another server's note IRI first.
 */
const authoredBy = (note: unknown, actorId: URL | null): note is Note =>
  note instanceof Note &&
  actorId !== null &&
  note.attributionId?.href === actorId.href &&
  note.id?.origin === actorId.origin;

async function onCreate(ctx: InboxContext<Services>, create: Create): Promise<void> {
  const note = await create.getObject(await loaders(ctx));
  if (!authoredBy(note, create.actorId)) return;
  const target = await noteTarget(ctx, note);
  if (!target) return;
  // a poll vote carries the option as its name and no content
  if (target.kind === "campaign" && note.name && !note.content) return onVote(ctx, create, note, target.campaign!);
  await onReply(ctx, create, note, target);
}

async function onUpdate(ctx: InboxContext<Services>, update: Update): Promise<void> {
  const object = await update.getObject(await loaders(ctx));
  if (authoredBy(object, update.actorId)) await onNoteUpdate(ctx, update, object);
}

async function onUndo(ctx: InboxContext<Services>, undo: Undo): Promise<void> {
  const object = await undo.getObject(await loaders(ctx));
  // only the actor of an activity can undo it
  if (
    !undo.actorId ||
    !(object instanceof Follow || object instanceof Join) ||
    object.actorId?.href !== undo.actorId.href
  )
    return;
  if (object instanceof Join) return onLeave(ctx, object, undo.actorId);
  const target = await localTarget(ctx, object.objectId);
  if (target?.kind === "community") await removeFollower(ctx.data.db, target.community.id, undo.actorId.href);
}

export function setupInbox(federation: Federation<Services>) {
  return federation
    .setInboxListeners("/communities/{identifier}/inbox", "/inbox")
    .setSharedKeyDispatcher(() => ({ identifier: INSTANCE_ACTOR }))
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .on(Create, onCreate)
    .on(Update, onUpdate)
    .on(Delete, (ctx, del) => (deletesItsActor(del) ? onAccountDeleted(ctx, del.actorId!.href) : onDelete(ctx, del)))
    .on(Join, onJoin)
    .on(Leave, (ctx, leave) => onLeave(ctx, leave, leave.actorId))
    .on(Flag, onFlag)
    .on(QuoteRequest, onQuoteRequest)
    .onUnverifiedActivity(onUnverifiedActivity)
    .onError((_ctx, error) => {
      logger.error("Inbox listener failed: {error}", { error });
    });
}
