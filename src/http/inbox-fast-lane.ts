import { getLogger } from "@logtape/logtape";
import type { MiddlewareHandler } from "hono";
import { parseCavage, verifiesWith } from "./draft-cavage";
import { readFastCreate, type FastCreate } from "./fast-create";
import { RETRY_AFTER_SECONDS } from "./on-error";
import { type ActorFacts, vouchedActor } from "./inbox-authority";
import { isInbox, parsedActivity } from "./inbox-guard";
import { problem } from "./problem";

const logger = getLogger(["ensemble", "inbox"]);

/** What the fast lane queues for one activity: the note as read, who sent it, when it came. */
export interface FastNote extends FastCreate {
  author: ActorFacts;
  /** ISO 8601; `published` is kept within a skew of it (src/domain/notes.ts). */
  receivedAt: string;
}

export interface FastLane {
  /** Resolves once the note is durably queued (grouped with others into one insert). */
  enqueue(note: FastNote): Promise<void>;
  /** Whether a community has this handle (a personal inbox of an unknown one is Fedify's 404). */
  communityExists(handle: string): Promise<boolean>;
}

const communityInbox = /^\/communities\/([^/]+)\/inbox$/;

/**
 * The inbox's fast lane, after the guard (size, depth, JSON) and the origin check (the actor's
 * own document lists the signing key, read through the same cache). It takes only a plain
 * compact `Create(Note)` (src/http/fast-create.ts) signed with draft-cavage rsa-sha256 by a key
 * the actor's document embeds, verifies that signature itself (digest of the body, date window,
 * signature over target, host, date and digest) and answers `202` once the note is queued,
 * without JSON-LD processing. Whatever it does not fully check (another shape or type, RFC 9421,
 * Linked Data signatures, proofs, a key given by reference, a signature that does not verify
 * with the cached key, which may have been rotated) goes on to Fedify unchanged, which verifies
 * it (fetching the key anew) and refuses or handles it as before.
 */
export function inboxFastLane(lane: FastLane): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST" || !isInbox(c.req.path)) return next();
    const parsed = parsedActivity(c.req.raw);
    const vouched = vouchedActor(c.req.raw);
    const header = c.req.header("signature");
    if (!parsed || !vouched?.keys.facts || !header || c.req.header("signature-input") !== undefined) return next();
    const create = readFastCreate(parsed.activity, vouched.actor);
    const signature = create && parseCavage(header);
    const key = signature && vouched.keys.embeddedKeys?.get(signature.keyId);
    if (!create || !signature || !key || !vouched.keys.publicKeys.includes(signature.keyId)) return next();
    const url = new URL(c.req.url);
    const request = { method: c.req.method, target: url.pathname + url.search, headers: c.req.raw.headers };
    if (!verifiesWith(signature, key, { ...request, body: parsed.body })) return next();
    const handle = communityInbox.exec(c.req.path)?.[1];
    try {
      if (handle !== undefined && !(await lane.communityExists(handle))) return next();
      await lane.enqueue({ ...create, author: vouched.keys.facts, receivedAt: new Date().toISOString() });
    } catch (error) {
      // not queued, so not accepted: the sender retries, as with any 5xx
      logger.warn("Inbox fast lane could not queue {activity}: {error}", { activity: create.activityId, error });
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return problem(c, 503, "Service unavailable", "The activity could not be queued; retry later.");
    }
    return c.body(null, 202);
  };
}
