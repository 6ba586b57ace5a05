import type { KeyObject } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { isInbox, parsedActivity } from "./inbox-guard";
import { problem } from "./problem";

/**
 * Origin-based security (FEP-fe34, as Mastodon applies it): an activity speaks for its actor
 * only when every key that signs it (HTTP Signature, Linked Data Signature, Object Integrity
 * Proof) is served from the actor's own origin AND the actor's own document lists that key.
 * A key document's self-declared `owner`/`controller` proves nothing: any server can publish
 * one naming anybody. Fedify 2.3.6 accepts such an owner (`doesActorOwnKey`), so this gate
 * runs before Fedify and answers 401 before anything is parsed as JSON-LD, stored or queued.
 */

/** What an actor's own document says about itself, kept with its keys for the inbox's fast lane. */
export interface ActorFacts {
  inbox: string | null;
  sharedInbox: string | null;
  followers: string | null;
  /** As the document gives them; checked by `authorProfile` before anything stores them. */
  preferredUsername: string | null;
  name: string | null;
  url: string | null;
}

/** What an actor's own document says about its keys, or why it could not be read. */
export type ActorKeys =
  | {
      status: "found";
      publicKeys: string[];
      assertionMethods: string[];
      /** The RSA keys the document embeds (not those it only names), by key id. */
      embeddedKeys?: ReadonlyMap<string, KeyObject>;
      facts?: ActorFacts;
    }
  /** The actor's server answers 410 Gone: the account was deleted. */
  | { status: "gone" }
  | { status: "unavailable" };

/** Reads an actor's document; `fresh` bypasses any cache (a key missing from a cached copy may be new). */
export type ActorKeyLister = (actor: URL, fresh: boolean) => Promise<ActorKeys>;

interface SigningKeys {
  /** keyIds of HTTP Signatures (draft-cavage `Signature`, RFC 9421 `Signature-Input`) and of a Linked Data Signature. */
  publicKeys: string[];
  /** verificationMethods of Object Integrity Proofs (FEP-8b32). */
  proofKeys: string[];
}

const ids = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const idOf = (value: unknown): unknown =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as { id?: unknown }).id : value;

// Security-vocabulary terms reached through an alias (an inline or remote @context) would be
// invisible to the property checks below while JSON-LD processing still finds them.
const aliasedSecurityTerm = /security#(proof|signature)|sec:(proof|signature)/;

/** Every key the request claims to be signed by, or an error when a claim cannot be read. */
export function signingKeys(
  headers: Headers,
  activity: Record<string, unknown>,
  rawText: string,
): SigningKeys | string {
  const publicKeys: string[] = [];
  // any spelling a lenient parser might accept (any case, quoted or bare) counts as a claim
  for (const header of ["signature", "signature-input"]) {
    for (const m of (headers.get(header) ?? "").matchAll(/keyid=(?:"([^"]*)"|([^;,\s"]+))/gi))
      publicKeys.push(m[1] ?? m[2]);
  }
  if (activity.signature !== undefined) {
    const creator = (activity.signature as { creator?: unknown } | null)?.creator;
    if (typeof creator !== "string") return "The Linked Data Signature names no creator key.";
    publicKeys.push(creator);
  }
  const proofKeys: string[] = [];
  for (const proof of ids(activity.proof)) {
    const method = idOf((proof as { verificationMethod?: unknown } | null)?.verificationMethod);
    if (typeof method !== "string") return "An Object Integrity Proof names no verification method.";
    proofKeys.push(method);
  }
  if (aliasedSecurityTerm.test(rawText))
    return "Signatures and proofs must use the plain `signature` and `proof` properties.";
  return { publicKeys, proofKeys };
}

/** The one actor an activity speaks for, or null when it names none or several. */
export function actorOf(activity: Record<string, unknown>): URL | null {
  const actors = ids(activity.actor).map(idOf);
  if (actors.length !== 1 || typeof actors[0] !== "string") return null;
  return URL.canParse(actors[0]) ? new URL(actors[0]) : null;
}

const originOf = (iri: string) => (URL.canParse(iri) ? new URL(iri).origin : null);

/** Mastodon deletes an account with a Delete whose object is the actor itself, signed by a key that is then gone. */
export function deletesItsActorJson(activity: Record<string, unknown>, actor: URL): boolean {
  return activity.type === "Delete" && ids(activity.object).map(idOf)[0] === actor.href;
}

/** An activity that passed the origin check, with what its actor's document said. */
export interface Vouched {
  actor: URL;
  keys: Extract<ActorKeys, { status: "found" }>;
}

const vouched = new WeakMap<Request, Vouched>();

/** The actor and key list the origin check read for this request, when it passed with them. */
export const vouchedActor = (request: Request) => vouched.get(request);

export function inboxAuthority(listKeys: ActorKeyLister): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST" || !isInbox(c.req.path)) return next();
    const parsed = parsedActivity(c.req.raw);
    if (!parsed) return next();
    const refuse = (detail: string) => problem(c, 401, "Not signed by the actor", detail);
    const actor = actorOf(parsed.activity);
    if (!actor) return refuse("An activity must name exactly one actor by its IRI.");
    const keys = signingKeys(c.req.raw.headers, parsed.activity, parsed.text);
    if (typeof keys === "string") return refuse(keys);
    const claimed = [...keys.publicKeys, ...keys.proofKeys];
    if (claimed.length === 0) return refuse("The request carries no signature.");
    const stranger = claimed.find((k) => originOf(k) !== actor.origin);
    if (stranger !== undefined)
      return refuse(`The key ${stranger} is not served from the actor's origin ${actor.origin}.`);

    let listed = await listKeys(actor, false);
    const unlisted = (l: ActorKeys) =>
      l.status === "found"
        ? [
            ...keys.publicKeys.filter((k) => !l.publicKeys.includes(k)),
            ...keys.proofKeys.filter((k) => !l.assertionMethods.includes(k)),
          ]
        : claimed;
    if (listed.status === "found" && unlisted(listed).length > 0) listed = await listKeys(actor, true);
    // a deleted account can only say that it is deleted; Fedify then finds the key gone too,
    // and the unverified-activity handler (federation/inbox.ts) removes what the account left
    if (listed.status === "gone" && deletesItsActorJson(parsed.activity, actor)) return next();
    if (listed.status !== "found") return refuse(`The actor ${actor.href} could not be read to check its keys.`);
    const missing = unlisted(listed);
    if (missing.length > 0) return refuse(`The actor ${actor.href} does not list the key ${missing[0]}.`);
    vouched.set(c.req.raw, { actor, keys: listed });
    return next();
  };
}
