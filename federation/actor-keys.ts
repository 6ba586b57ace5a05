import { KeyObject } from "node:crypto";
import type { Federation } from "@fedify/fedify";
import { Object as APObject, isActor, type Actor } from "@fedify/vocab";
import type { ActorFacts, ActorKeyLister, ActorKeys } from "../src/http/inbox-authority";
import { INSTANCE_ACTOR, originContext, type Services } from "../src/services";

/** How long an actor's key list is trusted; a key missing from it is always re-read (rotation). */
const FRESH_MS = 60 * 60_000;
const MAX_ENTRIES = 10_000;

const isGone = (error: unknown) => (error as { response?: Response } | null)?.response?.status === 410;

/**
 * Reads actors' documents (signed by the instance actor, so authorized-fetch servers answer)
 * for the inbox's origin check. Only documents that parse as an actor with the requested id
 * count; the list is kept in memory per process for an hour.
 */
export function actorKeyLister(federation: Federation<Services>, services: Services): ActorKeyLister {
  const cache = new Map<string, { keys: ActorKeys; at: number }>();
  return async (actor, fresh) => {
    const hit = cache.get(actor.href);
    if (hit && !fresh && Date.now() - hit.at < FRESH_MS) return hit.keys;
    const ctx = originContext(federation, services);
    const documentLoader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
    let keys: ActorKeys;
    try {
      const { document } = await documentLoader(actor.href);
      const object = await APObject.fromJsonLd(document, { documentLoader, contextLoader: ctx.contextLoader });
      keys =
        isActor(object) && object.id?.href === actor.href
          ? {
              status: "found",
              publicKeys: object.publicKeyIds.map((u) => u.href),
              assertionMethods: object.assertionMethodIds.map((u) => u.href),
              embeddedKeys: await embeddedRsaKeys(object),
              facts: factsOf(object),
            }
          : { status: "unavailable" };
    } catch (error) {
      keys = isGone(error) ? { status: "gone" } : { status: "unavailable" };
    }
    cache.delete(actor.href);
    if (keys.status === "found") cache.set(actor.href, { keys, at: Date.now() });
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    return keys;
  };
}

const noFetch = async (url: string): Promise<never> => {
  throw new Error(`not embedded: ${url}`);
};

/**
 * The RSA keys the actor's document embeds, by id, for the inbox's fast lane: nothing is
 * fetched (a key given only by reference is left to Fedify's verification).
 */
async function embeddedRsaKeys(actor: Actor): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  try {
    for await (const key of actor.getPublicKeys({ documentLoader: noFetch, contextLoader: noFetch })) {
      if (!key.id || !key.publicKey || !actor.publicKeyIds.some((id) => id.href === key.id!.href)) continue;
      const object = KeyObject.from(key.publicKey);
      if (object.asymmetricKeyType === "rsa") keys.set(key.id.href, object);
    }
  } catch {
    // a key that would need fetching ends the list: the keys read so far stand
  }
  return keys;
}

/** What the inbox's fast lane needs of the actor (the handlers read the same through Fedify). */
function factsOf(actor: Actor): ActorFacts {
  const url = actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? null);
  return {
    inbox: actor.inboxId?.href ?? null,
    sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
    followers: actor.followersId?.href ?? null,
    preferredUsername: actor.preferredUsername?.toString() ?? null,
    name: actor.name?.toString() ?? null,
    url,
  };
}
