import type { Federation, InboxContext } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { Accept, Follow, Undo, isActor, type Actor } from "@fedify/vocab";
import { findCommunity, type Community } from "../src/domain/communities";
import { addFollower, removeFollower } from "../src/domain/followers";
import { INSTANCE_ACTOR, type Services } from "./services";

const logger = getLogger(["ensemble", "inbox"]);

/** Fetches remote objects signed by the instance actor, so authorized-fetch servers answer. */
export async function signedLoader(ctx: InboxContext<Services>) {
  return ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
}

/** The local community an activity's object points at, if any. */
export async function targetCommunity(ctx: InboxContext<Services>, objectId: URL | null): Promise<Community | undefined> {
  if (!objectId) return undefined;
  const parsed = ctx.parseUri(objectId);
  if (parsed?.type !== "actor") return undefined;
  return findCommunity(ctx.data.db, parsed.identifier);
}

async function onFollow(ctx: InboxContext<Services>, follow: Follow): Promise<void> {
  const community = await targetCommunity(ctx, follow.objectId);
  if (!community || !follow.id || !follow.actorId) return;
  const follower = await follow.getActor({ documentLoader: await signedLoader(ctx), contextLoader: ctx.contextLoader });
  if (!follower || !isActor(follower) || !follower.inboxId) {
    logger.warn("Follow from {actor} ignored: its actor has no inbox", { actor: follow.actorId.href });
    return;
  }
  await addFollower(ctx.data.db, {
    communityId: community.id,
    actorIri: follower.id!.href,
    inboxUrl: follower.inboxId.href,
    sharedInboxUrl: follower.endpoints?.sharedInbox?.href ?? null,
    followIri: follow.id.href,
  });
  await ctx.sendActivity(
    { identifier: community.handle },
    follower as Actor,
    new Accept({
      id: new URL(`#accepts/${encodeURIComponent(follow.id.href)}`, ctx.getActorUri(community.handle)),
      actor: ctx.getActorUri(community.handle),
      object: follow,
    }),
  );
}

async function onUndo(ctx: InboxContext<Services>, undo: Undo): Promise<void> {
  const object = await undo.getObject({ documentLoader: await signedLoader(ctx), contextLoader: ctx.contextLoader });
  if (object instanceof Follow) {
    // only the follower can undo its own follow
    if (!undo.actorId || object.actorId?.href !== undo.actorId.href) return;
    const community = await targetCommunity(ctx, object.objectId);
    if (community) await removeFollower(ctx.data.db, community.id, undo.actorId.href);
  }
}

export function setupInbox(federation: Federation<Services>) {
  return federation
    .setInboxListeners("/communities/{identifier}/inbox", "/inbox")
    .setSharedKeyDispatcher(() => ({ identifier: INSTANCE_ACTOR }))
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .onError((_ctx, error) => {
      logger.error("Inbox listener failed: {error}", { error });
    });
}
