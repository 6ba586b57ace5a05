import type { Context } from "@fedify/fedify";
import { isActor } from "@fedify/vocab";
import type { AccountLookup } from "../src/domain/accounts";
import type { Services } from "../src/services";
import { loaders } from "./targets";

const ACTIVITY_TYPES = [
  "application/activity+json",
  'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
];

interface Jrd {
  subject?: unknown;
  links?: Array<{ rel?: unknown; type?: unknown; href?: unknown }>;
}

/**
 * WebFinger, then the actor it points at, both through the instance actor's document loader
 * (the server's one fetch path for remote documents). WebFinger is asked over https; over http
 * as well only with ENSEMBLE_ALLOW_PRIVATE_ADDRESS (local peers in development and tests).
 */
export function accountLookup(ctx: Context<Services>): AccountLookup {
  return async (username, host) => {
    const { documentLoader } = await loaders(ctx);
    const resource = `acct:${username}@${host}`;
    for (const scheme of ctx.data.config.allowPrivateAddress ? ["https", "http"] : ["https"]) {
      let jrd: Jrd;
      try {
        const url = new URL(`${scheme}://${host}/.well-known/webfinger`);
        url.searchParams.set("resource", resource);
        jrd = (await documentLoader(url.href)).document as Jrd;
      } catch {
        continue;
      }
      const self = jrd.links?.find(
        (l) =>
          l.rel === "self" &&
          typeof l.type === "string" &&
          ACTIVITY_TYPES.includes(l.type) &&
          typeof l.href === "string",
      );
      if (!self) return undefined;
      const actor = await ctx.lookupObject(String(self.href), await loaders(ctx));
      if (!isActor(actor) || !actor.id) return undefined;
      // the server may spell the account its own way, but may not claim one on another host
      const subject = typeof jrd.subject === "string" && jrd.subject.startsWith("acct:") ? jrd.subject.slice(5) : "";
      const handle =
        subject.toLowerCase().endsWith(`@${host}`) && !subject.slice(0, -host.length - 1).includes("@")
          ? subject
          : `${username}@${host}`;
      return {
        iri: actor.id.href,
        handle: `@${handle}`,
        name: actor.name?.toString().trim().slice(0, 100) || undefined,
      };
    }
    return undefined;
  };
}
