import { createHash, randomBytes } from "node:crypto";
import type { KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { DrizzleKvStore } from "../db/kv";
import type { Db } from "../db/database";
import type { Community } from "../domain/communities";

/**
 * Passkeys (WebAuthn, through @simplewebauthn/server): a steward signed in once by an invite
 * link registers one, then signs in with it. The server keeps only the public key; a passkey
 * is discoverable, so signing in asks for no name. Ceremonies are bound to a challenge kept
 * five minutes server-side under a random ID that only this browser's HttpOnly cookie holds,
 * and each challenge is used at most once.
 */

export interface StoredPasskey {
  id: string;
  /** base64url COSE public key */
  publicKey: string;
  counter: number;
  transports?: string[];
  communityId: string;
  /** The steward it signs in (the session label the public record names). */
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

interface Challenge {
  challenge: string;
  purpose: "register" | "login";
  communityId?: string;
  label?: string;
}

const CHALLENGE_TTL = Temporal.Duration.from({ minutes: 5 });
const passkeyKey = (id: string): KvKey => ["console", "passkey", id];
const challengeKey = (id: string): KvKey => ["console", "webauthn", id];

export interface RelyingParty {
  origin: string;
  /** The host name: a passkey works only on the server it was made for. */
  rpID: string;
  name: string;
}
export const relyingParty = (origin: string): RelyingParty => ({
  origin,
  rpID: new URL(origin).hostname,
  name: `Ensemble (${new URL(origin).host})`,
});

async function saveChallenge(db: Db, value: Challenge): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await new DrizzleKvStore(db).set(challengeKey(id), value, { ttl: CHALLENGE_TTL });
  return id;
}

/** Takes a challenge out of storage: a second use of the same ceremony finds nothing. */
async function takeChallenge(db: Db, id: string, purpose: Challenge["purpose"]): Promise<Challenge | undefined> {
  const kv = new DrizzleKvStore(db);
  const found = await kv.get<Challenge>(challengeKey(id));
  if (!found) return undefined;
  await kv.delete(challengeKey(id));
  return found.purpose === purpose ? found : undefined;
}

export async function listPasskeys(db: Db, community: Community): Promise<StoredPasskey[]> {
  const found: StoredPasskey[] = [];
  for await (const { value } of new DrizzleKvStore(db).list(["console", "passkey"])) {
    if ((value as StoredPasskey).communityId === community.id) found.push(value as StoredPasskey);
  }
  return found.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
}

export async function removePasskey(db: Db, community: Community, id: string): Promise<boolean> {
  const kv = new DrizzleKvStore(db);
  const found = await kv.get<StoredPasskey>(passkeyKey(id));
  if (!found || found.communityId !== community.id) return false;
  await kv.delete(passkeyKey(id));
  return true;
}

/** Removes every passkey of one steward of this community (their role was removed). */
export async function removePasskeysOf(db: Db, community: Community, label: string): Promise<void> {
  for (const p of await listPasskeys(db, community)) if (p.label === label) await removePasskey(db, community, p.id);
}

/** A steward's passkeys are replaced on the same authenticator: one user ID per community and steward. */
const userIdOf = (community: Community, label: string) =>
  createHash("sha256").update(`${community.id}\n${label}`).digest().subarray(0, 32);

export async function registrationOptions(db: Db, rp: RelyingParty, community: Community, label: string) {
  const mine = (await listPasskeys(db, community)).filter((p) => p.label === label);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.rpID,
    userID: new Uint8Array(userIdOf(community, label)),
    userName: `${label} · ${community.handle}`,
    attestationType: "none",
    excludeCredentials: mine.map((p) => ({ id: p.id, transports: p.transports as never })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  const ceremony = await saveChallenge(db, {
    challenge: options.challenge,
    purpose: "register",
    communityId: community.id,
    label,
  });
  return { options, ceremony };
}

export async function finishRegistration(
  db: Db,
  rp: RelyingParty,
  community: Community,
  label: string,
  ceremony: string,
  response: unknown,
): Promise<StoredPasskey | undefined> {
  const challenge = await takeChallenge(db, ceremony, "register");
  if (!challenge || challenge.communityId !== community.id || challenge.label !== label) return undefined;
  const result = await verifyRegistrationResponse({
    response: response as RegistrationResponseJSON,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    requireUserVerification: false,
  }).catch(() => undefined);
  if (!result?.verified) return undefined;
  const { credential } = result.registrationInfo;
  const stored: StoredPasskey = {
    id: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: credential.transports,
    communityId: community.id,
    label,
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
  };
  // a credential ID already held (by anyone) is not taken over
  const saved = await new DrizzleKvStore(db).cas(passkeyKey(credential.id), undefined, stored);
  return saved ? stored : undefined;
}

export async function authenticationOptions(db: Db, rp: RelyingParty) {
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "preferred" });
  const ceremony = await saveChallenge(db, { challenge: options.challenge, purpose: "login" });
  return { options, ceremony };
}

/** The passkey that signed the challenge, its counter advanced; undefined for anything that does not verify. */
export async function finishAuthentication(
  db: Db,
  rp: RelyingParty,
  ceremony: string,
  response: unknown,
): Promise<StoredPasskey | undefined> {
  const challenge = await takeChallenge(db, ceremony, "login");
  const id = typeof (response as { id?: unknown })?.id === "string" ? (response as { id: string }).id : "";
  if (!challenge || !id) return undefined;
  const kv = new DrizzleKvStore(db);
  const stored = await kv.get<StoredPasskey>(passkeyKey(id));
  if (!stored) return undefined;
  const result = await verifyAuthenticationResponse({
    response: response as AuthenticationResponseJSON,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    credential: {
      id: stored.id,
      publicKey: new Uint8Array(Buffer.from(stored.publicKey, "base64url")),
      counter: stored.counter,
      transports: stored.transports as never,
    },
    requireUserVerification: false,
  }).catch(() => undefined);
  if (!result?.verified) return undefined;
  const used: StoredPasskey = {
    ...stored,
    counter: result.authenticationInfo.newCounter,
    lastUsedAt: new Date().toISOString(),
  };
  // a concurrent sign-in with a cloned authenticator loses the race rather than rewinding the counter
  return (await kv.cas(passkeyKey(id), stored, used)) ? used : undefined;
}
