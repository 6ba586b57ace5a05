import type { Context, RequestContext, UnverifiedActivityReason } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { Delete, type Activity } from "@fedify/vocab";
import { forgetAccount } from "../src/domain/account-deletion";
import type { Services } from "../src/services";

const logger = getLogger(["ensemble", "accounts"]);

/** Mastodon deletes an account by sending `Delete` whose object is the actor itself. */
export const deletesItsActor = (del: Delete) => del.actorId !== null && del.objectId?.href === del.actorId.href;

/** Forgets a deleted account and federates the recounted polls of the campaigns it took part in. */
export async function onAccountDeleted(ctx: Context<Services>, actorIri: string): Promise<void> {
  const forgotten = await forgetAccount(ctx.data.db, actorIri);
  for (const campaignId of forgotten.campaigns) await ctx.data.tasks?.scheduleTally(campaignId);
  logger.info("Account {actor} deleted: {notes} notes, {campaigns} campaigns, {follows} follows forgotten", {
    actor: actorIri,
    notes: forgotten.notes,
    campaigns: forgotten.campaigns.length,
    follows: forgotten.follows,
  });
}

/**
 * After deleting an account, Mastodon sends its self-Delete signed by a key that now answers
 * 410 Gone, so it cannot verify. The origin gate (src/http/inbox-authority.ts) has already
 * checked that the key is on the actor's own origin and that the actor is gone; that the
 * key's own server says it is gone is then as good as a signature: the account is forgotten.
 * Anything else unverified gets Fedify's 401.
 */
export async function onUnverifiedActivity(
  ctx: RequestContext<Services>,
  activity: Activity,
  reason: UnverifiedActivityReason,
) {
  if (!(activity instanceof Delete) || !deletesItsActor(activity)) return;
  if (reason.type !== "keyFetchError" || !("status" in reason.result) || reason.result.status !== 410) return;
  if (reason.keyId.origin !== activity.actorId!.origin) return;
  await onAccountDeleted(ctx, activity.actorId!.href);
  return new Response(null, { status: 202 });
}
