import type { Federation } from "@fedify/fedify";
import { Application, Endpoints, Group, Image } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { findCommunity } from "../src/domain/communities";
import { ensureActorKeys, getActorKeyPairs } from "../src/domain/keys";
import { plainTextToHtml } from "../src/domain/html";
import { INSTANCE_ACTOR, type Services } from "../src/services";

export function setupActors(federation: Federation<Services>): void {
  federation
    .setActorDispatcher("/communities/{identifier}", async (ctx, identifier) => {
      const keys = await ctx.getActorKeyPairs(identifier);
      if (identifier === INSTANCE_ACTOR) {
        return new Application({
          id: ctx.getActorUri(identifier),
          preferredUsername: identifier,
          name: "Ensemble",
          summary: "Signs this server's own requests.",
          inbox: ctx.getInboxUri(identifier),
          outbox: ctx.getOutboxUri(identifier),
          endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
          manuallyApprovesFollowers: true,
          publicKey: keys[0]?.cryptographicKey,
          assertionMethods: keys.map((k) => k.multikey),
        });
      }
      const community = await findCommunity(ctx.data.db, identifier);
      if (!community) return null;
      return new Group({
        id: ctx.getActorUri(identifier),
        preferredUsername: community.handle,
        name: community.name,
        // Mastodon renders `summary` as HTML: the steward's plain text, escaped, one paragraph per blank line
        summary: plainTextToHtml(community.summary),
        url: ctx.getActorUri(identifier),
        published: Temporal.Instant.from(community.createdAt.toISOString()),
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        featured: ctx.getFeaturedUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        manuallyApprovesFollowers: false,
        discoverable: true,
        // lets Mastodon's full-text search find the community's public posts (campaigns)
        indexable: true,
        icon: new Image({
          url: new URL(`/communities/${community.handle}/avatar.png`, ctx.origin),
          mediaType: "image/png",
        }),
        image: new Image({
          url: new URL(`/communities/${community.handle}/header.png`, ctx.origin),
          mediaType: "image/png",
        }),
        publicKey: keys[0]?.cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
      });
    })
    .mapHandle(async (ctx, username) => {
      if (username === INSTANCE_ACTOR) return username;
      return (await findCommunity(ctx.data.db, username)) ? username : null;
    })
    .setKeyPairsDispatcher(async (ctx, identifier) =>
      identifier === INSTANCE_ACTOR
        ? ensureActorKeys(ctx.data.db, identifier)
        : getActorKeyPairs(ctx.data.db, identifier),
    );
}
