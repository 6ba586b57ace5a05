import type { Federation } from "@fedify/fedify";
import { findCommunity } from "../src/domain/communities";
import { countFollowers } from "../src/domain/followers";
import type { Services } from "./services";

export function setupCollections(federation: Federation<Services>): void {
  // Who follows a community is not published (followers may be at risk for their causes);
  // only the count is, which Mastodon displays.
  federation
    .setFollowersDispatcher("/communities/{identifier}/followers", async (ctx, identifier) => {
      if (!(await findCommunity(ctx.data.db, identifier))) return null;
      return { items: [] };
    })
    .setCounter(async (ctx, identifier) => {
      const community = await findCommunity(ctx.data.db, identifier);
      return community ? countFollowers(ctx.data.db, community.id) : null;
    });

  federation
    .setOutboxDispatcher("/communities/{identifier}/outbox", async (ctx, identifier) => {
      if (!(await findCommunity(ctx.data.db, identifier))) return null;
      return { items: [] };
    })
    .setCounter(() => 0);

  federation.setFeaturedDispatcher("/communities/{identifier}/featured", async (ctx, identifier) => {
    if (!(await findCommunity(ctx.data.db, identifier))) return null;
    return { items: [] };
  });
}
