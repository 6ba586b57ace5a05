import { createHash, randomBytes } from "node:crypto";
import type { KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { DrizzleKvStore } from "../db/kv";
import type { Db } from "../db/database";

/**
 * One-time sign-in links. The link carries a random secret; the `kv` table keeps only its
 * SHA-256 (a database dump reveals no usable link) with a 24-hour TTL. Using a link flips its
 * entry to "used" with a compare-and-swap, so two tabs (or a thief racing the steward) cannot
 * both sign in with it, and a replay is told apart from an unknown or expired link.
 */

const TTL = Temporal.Duration.from({ hours: 24 });

interface Invite {
  handle: string;
  /** Who the link is for: the session token's label, which the public record names. */
  label: string;
  used: boolean;
}

const keyOf = (secret: string): KvKey => ["console", "invite", createHash("sha256").update(secret).digest("base64url")];

export async function createInvite(db: Db, handle: string, label = "steward"): Promise<string> {
  const secret = randomBytes(32).toString("base64url");
  await new DrizzleKvStore(db).set(keyOf(secret), { handle, label, used: false } satisfies Invite, { ttl: TTL });
  return secret;
}

export type InviteResult = { ok: true; handle: string; label: string } | { ok: false; reason: "unknown" | "used" };

/** Looks a link up without using it (the page that asks to confirm the sign-in). */
export async function peekInvite(db: Db, secret: string): Promise<InviteResult> {
  const invite = await new DrizzleKvStore(db).get<Invite>(keyOf(secret));
  if (!invite) return { ok: false, reason: "unknown" };
  return invite.used ? { ok: false, reason: "used" } : { ok: true, handle: invite.handle, label: invite.label };
}

/** Uses a link: succeeds once, whatever the concurrency. */
export async function consumeInvite(db: Db, secret: string): Promise<InviteResult> {
  const kv = new DrizzleKvStore(db);
  const key = keyOf(secret);
  const invite = await kv.get<Invite>(key);
  if (!invite) return { ok: false, reason: "unknown" };
  if (invite.used) return { ok: false, reason: "used" };
  // the used marker lives another 24 h, so that a replay is recognised as such rather than "unknown"
  const won = await kv.cas(key, invite, { ...invite, used: true } satisfies Invite, { ttl: TTL });
  return won ? { ok: true, handle: invite.handle, label: invite.label } : { ok: false, reason: "used" };
}
