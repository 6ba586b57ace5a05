import type { Federation } from "@fedify/fedify";
import { Create } from "@fedify/vocab";
import { countCommunityPosts, listCommunityPosts, listOpenCampaigns, tally } from "../src/domain/campaigns";
import { findCommunity } from "../src/domain/communities";
import { countFollowers } from "../src/domain/followers";
import { campaignQuestion, updateNote } from "./campaign-object";
import type { Services } from "../src/services";
import { forPlainJsonReaders, withWireJson } from "./wire-json";

const OUTBOX_PAGE_SIZE = 20;

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

  // The community's posts (campaigns and their updates), newest first: Mastodon shows the count
  // on the profile, and some servers read the pages to show past posts.
  federation
    .setOutboxDispatcher("/communities/{identifier}/outbox", async (ctx, identifier, cursor) => {
      const community = await findCommunity(ctx.data.db, identifier);
      if (!community || cursor === null) return null;
      const page = Number(cursor);
      if (!Number.isSafeInteger(page) || page < 0) return null;
      const posts = await listCommunityPosts(ctx.data.db, community.id, page * OUTBOX_PAGE_SIZE, OUTBOX_PAGE_SIZE + 1);
      const items = await Promise.all(
        posts.slice(0, OUTBOX_PAGE_SIZE).map(async (post) => {
          const object =
            post.kind === "campaign"
              ? campaignQuestion(ctx, community, post.campaign, await tally(ctx.data.db, post.campaign.id))
              : updateNote(ctx, community, post.campaign, post.update);
          const create = new Create({
            id: new URL(`${object.id!.href}#create`),
            actor: ctx.getActorUri(community.handle),
            tos: object.toIds,
            ccs: object.ccIds,
            object,
            published: object.published,
          });
          return withWireJson(create, forPlainJsonReaders);
        }),
      );
      return {
        items,
        nextCursor: posts.length > OUTBOX_PAGE_SIZE ? String(page + 1) : null,
        prevCursor: page > 0 ? String(page - 1) : null,
      };
    })
    .setCounter(async (ctx, identifier) => {
      const community = await findCommunity(ctx.data.db, identifier);
      return community ? countCommunityPosts(ctx.data.db, community.id) : null;
    })
    .setFirstCursor(async (ctx, identifier) => ((await findCommunity(ctx.data.db, identifier)) ? "0" : null));

  // Mastodon never backfills a new follower's timeline, but it shows a profile's featured
  // (pinned) posts: the open campaigns are what a newcomer should find.
  federation
    .setFeaturedDispatcher("/communities/{identifier}/featured", async (ctx, identifier) => {
      const community = await findCommunity(ctx.data.db, identifier);
      if (!community) return null;
      const open = await listOpenCampaigns(ctx.data.db, community.id);
      return {
        items: await Promise.all(
          open.map(async (c) => campaignQuestion(ctx, community, c, await tally(ctx.data.db, c.id))),
        ),
      };
    })
    .setCounter(async (ctx, identifier) => {
      const community = await findCommunity(ctx.data.db, identifier);
      return community ? (await listOpenCampaigns(ctx.data.db, community.id)).length : null;
    });
}
