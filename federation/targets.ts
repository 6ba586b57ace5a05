import type { Context } from "@fedify/fedify";
import { Event, Note, Question } from "@fedify/vocab";
import { findCampaign, isCampaignOf, type Campaign } from "../src/domain/campaigns";
import { findCommunity, type Community } from "../src/domain/communities";
import { INSTANCE_ACTOR, type Services } from "../src/services";

export interface LocalTarget {
  community: Community;
  /** Set when the URL is a campaign (its Question or its Event) or one of its updates. */
  campaign?: Campaign;
  kind: "community" | "campaign" | "update";
}

/** What a URL in an incoming activity points at on this server, if anything. */
export async function localTarget(
  ctx: Context<Services>,
  url: URL | null | undefined,
): Promise<LocalTarget | undefined> {
  if (!url) return undefined;
  const parsed = ctx.parseUri(url);
  if (!parsed) return undefined;
  if (parsed.type === "actor") {
    const community = await findCommunity(ctx.data.db, parsed.identifier);
    return community && { community, kind: "community" };
  }
  if (parsed.type !== "object" || (parsed.class !== Question && parsed.class !== Event && parsed.class !== Note))
    return undefined;
  const community = await findCommunity(ctx.data.db, parsed.values.identifier);
  const campaign = community && (await findCampaign(ctx.data.db, parsed.values.id));
  if (!community || !campaign || !isCampaignOf(community, campaign)) return undefined;
  return { community, campaign, kind: parsed.class === Note ? "update" : "campaign" };
}

/** Remote objects are fetched signed by the instance actor, so authorized-fetch servers answer. */
export async function loaders(ctx: Context<Services>) {
  return {
    documentLoader: await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR }),
    contextLoader: ctx.contextLoader,
  };
}
