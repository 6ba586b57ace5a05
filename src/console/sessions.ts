import type { KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { DrizzleKvStore } from "../db/kv";
import type { Db } from "../db/database";
import type { Community } from "../domain/communities";
import { revokeTokenId, tokenId } from "../domain/tokens";

/**
 * The list of a community's console sessions. A session is a signed token (tokens.ts), which
 * needs no table to verify; this list only lets stewards see and end them. Each entry lives as
 * long as its token, so the list holds only sessions that could still be used.
 */

export interface SessionEntry {
  id: string;
  communityId: string;
  label: string;
  via: "invite" | "passkey";
  /** The browser's own description of itself, cut short; only stewards see it. */
  userAgent: string;
  startedAt: string;
  expires: number;
}

// keyed by token ID alone, so signing out (which knows only the token) forgets its entry
const keyOf = (jti: string): KvKey => ["console", "session", jti];

export async function recordSession(
  db: Db,
  origin: string,
  community: Community,
  token: string,
  about: { label: string; via: SessionEntry["via"]; userAgent: string },
): Promise<void> {
  const { jti, exp } = await tokenId(db, origin, token);
  const entry: SessionEntry = {
    id: jti,
    communityId: community.id,
    label: about.label,
    via: about.via,
    userAgent: about.userAgent.slice(0, 200),
    startedAt: new Date().toISOString(),
    expires: exp,
  };
  const ttl = Temporal.Duration.from({ seconds: Math.max(1, exp - Math.floor(Date.now() / 1000)) });
  await new DrizzleKvStore(db).set(keyOf(jti), entry, { ttl });
}

/** Sessions still usable, newest first. */
export async function listSessions(db: Db, community: Community): Promise<SessionEntry[]> {
  const entries: SessionEntry[] = [];
  for await (const { value } of new DrizzleKvStore(db).list(["console", "session"])) {
    if ((value as SessionEntry).communityId === community.id) entries.push(value as SessionEntry);
  }
  return entries.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}

/** Ends a session of this community (a steward's own or another's); false when there is no such session. */
export async function revokeSession(db: Db, community: Community, id: string): Promise<boolean> {
  const kv = new DrizzleKvStore(db);
  const entry = await kv.get<SessionEntry>(keyOf(id));
  if (!entry || entry.communityId !== community.id) return false;
  await revokeTokenId(db, entry.id, entry.expires);
  await kv.delete(keyOf(id));
  return true;
}

/** Drops a signed-out session from the list (its token is revoked by the caller). */
export async function forgetSession(db: Db, jti: string): Promise<void> {
  await new DrizzleKvStore(db).delete(keyOf(jti));
}

/** The session ID of a token, to mark "this session" in the list. */
export const sessionIdOf = async (db: Db, origin: string, token: string) => (await tokenId(db, origin, token)).jti;

/** Ends every session of one steward of this community (their role was removed). */
export async function revokeSessionsOf(db: Db, community: Community, label: string): Promise<void> {
  for (const s of await listSessions(db, community)) if (s.label === label) await revokeSession(db, community, s.id);
}
