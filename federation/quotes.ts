import type { Federation, InboxContext } from "@fedify/fedify";
import { Accept, QuoteAuthorization, Reject, isActor, type QuoteRequest } from "@fedify/vocab";
import { isBlocked } from "../src/domain/blocks";
import { findCommunity } from "../src/domain/communities";
import type { Services } from "../src/services";
import { loaders, localTarget } from "./targets";

/**
 * Quotes (FEP-044f, Mastodon 4.5): campaigns and updates say `canQuote: Public` with automatic
 * approval, and a `QuoteRequest` is answered at once by an `Accept` whose `result` is a
 * `QuoteAuthorization` that the quoting server fetches to check. The stamp is stateless: its
 * URL names the quote and the quoted post, and it exists only while the quoted post does.
 */
const encode = (quote: string, target: string) => Buffer.from(JSON.stringify([quote, target])).toString("base64url");

function decode(stamp: string): [URL, URL] | undefined {
  try {
    const pair = JSON.parse(Buffer.from(stamp, "base64url").toString("utf8"));
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      !pair.every((u) => typeof u === "string" && /^https?:\/\//.test(u))
    )
      return undefined;
    return [new URL(pair[0]), new URL(pair[1])];
  } catch {
    return undefined;
  }
}

export function setupQuoteAuthorizations(federation: Federation<Services>): void {
  federation.setObjectDispatcher(
    QuoteAuthorization,
    "/communities/{identifier}/quotes/{stamp}",
    async (ctx, { identifier, stamp }) => {
      const pair = stamp.length <= 4096 ? decode(stamp) : undefined;
      const community = await findCommunity(ctx.data.db, identifier);
      if (!pair || !community) return null;
      const [quote, target] = pair;
      const quoted = await localTarget(ctx, target);
      // revoked with the post: a deleted campaign or one of another community authorizes nothing
      if (!quoted || quoted.kind === "community" || quoted.community.id !== community.id || quoted.campaign?.deletedAt)
        return null;
      if (await isBlocked(ctx.data.db, community.id, quote.href)) return null;
      return new QuoteAuthorization({
        id: ctx.getObjectUri(QuoteAuthorization, { identifier, stamp }),
        attribution: ctx.getActorUri(identifier),
        interactingObject: quote,
        interactionTarget: target,
      });
    },
  );
}

export async function onQuoteRequest(ctx: InboxContext<Services>, request: QuoteRequest): Promise<void> {
  if (!request.id || !request.actorId || !request.objectId || !request.instrumentId) return;
  const target = await localTarget(ctx, request.objectId);
  if (!target || target.kind === "community") return;
  const quoter = await request.getActor(await loaders(ctx));
  if (!quoter || !isActor(quoter) || quoter.id?.href !== request.actorId.href) return;
  const { community } = target;
  const actor = ctx.getActorUri(community.handle);
  const refused =
    !target.campaign ||
    target.campaign.deletedAt ||
    target.campaign.status === "draft" ||
    (await isBlocked(ctx.data.db, community.id, request.actorId.href));
  const answer = refused
    ? new Reject({ id: new URL(`#quote-reject/${encodeURIComponent(request.id.href)}`, actor), actor, object: request })
    : new Accept({
        id: new URL(`#quote-accept/${encodeURIComponent(request.id.href)}`, actor),
        actor,
        to: request.actorId,
        object: request,
        result: ctx.getObjectUri(QuoteAuthorization, {
          identifier: community.handle,
          stamp: encode(request.instrumentId.href, request.objectId.href),
        }),
      });
  await ctx.sendActivity({ identifier: community.handle }, quoter, answer);
}
