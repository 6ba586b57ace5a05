import { randomUUID } from "node:crypto";
import type { KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { DrizzleKvStore } from "../db/kv";
import { INSTANCE_ACTOR } from "../services";
import type { Db } from "../db/database";
import type { Community } from "./communities";
import { actorEd25519Key } from "./keys";
import { signingKey } from "./signing-keys";
import { communityUrl } from "./urls";

/**
 * Steward API tokens: JWTs signed with the server's token key (`signing_keys`, purpose
 * `tokens`), made on first use and used for nothing else, so every process sharing the database
 * verifies the same tokens and no token can pass for a public-record entry or the reverse.
 * A revoked token's ID is kept in the `kv` table until the token would have expired anyway.
 */

const tokenRoles = ["steward", "moderator"] as const;
export type TokenRole = (typeof tokenRoles)[number];

const units = { m: 60, h: 3600, d: 86_400 } as const;
const MAX_LIFETIME_S = 365 * units.d;

/** `30d`, `12h`, `90m`: a lifetime in seconds, at most a year. */
const lifetime = z
  .string()
  .regex(/^[1-9]\d*[dhm]$/, "a duration such as 30d, 12h or 90m")
  .transform((s) => Number(s.slice(0, -1)) * units[s.at(-1) as keyof typeof units])
  .refine((seconds) => seconds <= MAX_LIFETIME_S, "a token lasts at most 365 days");

const tokenOptions = z.object({
  role: z.enum(tokenRoles, "the role is steward or moderator").default("steward"),
  expires: lifetime.default(30 * units.d),
  label: z.string().trim().min(1, "a label cannot be empty").max(100).default("steward"),
});

const claims = z.object({
  aud: z.string(),
  role: z.enum(tokenRoles),
  sub: z.string(),
  jti: z.string(),
  exp: z.number(),
});

export interface Grant {
  /** The community URL the token was issued for. */
  audience: string;
  role: TokenRole;
  /** The token's label (its subject): who acts, as the public record names them. */
  label: string;
}

/** A token that proves nothing: missing, malformed, forged, expired, revoked or from another server. */
export class InvalidTokenError extends Error {
  constructor(
    readonly problem: "expired" | "revoked" | "invalid",
    message = {
      expired: "The token has expired.",
      revoked: "The token has been revoked.",
      invalid: "The token is not valid.",
    }[problem],
  ) {
    super(message);
  }
}

/** Tokens made before tokens had a key of their own were signed with the instance actor's key; they no longer work. */
const SUPERSEDED =
  "This token was issued before steward tokens got their own signing key and no longer works; ask for a new one.";

const revokedKey = (jti: string): KvKey => ["tokens", "revoked", jti];

/** A steward token is good for one community: its address. */
export const communityAudience = communityUrl;

const tokenKey = (db: Db) => signingKey(db, "tokens");

export async function issueToken(
  db: Db,
  origin: string,
  community: Community,
  // plain strings, as a CLI or form gives them: they are validated here
  options: { role?: string; expires?: string; label?: string } = {},
): Promise<string> {
  const { role, expires, label } = tokenOptions.parse(options);
  const { privateKey } = await tokenKey(db);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setIssuer(origin)
    .setAudience(communityAudience(origin, community.handle))
    .setSubject(label)
    .setIssuedAt(now)
    .setExpirationTime(now + expires)
    .setJti(randomUUID())
    .sign(privateKey);
}

/**
 * Checks signature, issuer and expiry. The audience is returned rather than checked, so that
 * a genuine token presented to the wrong community can be told apart (403) from a bad one (401).
 */
export async function verifyToken(db: Db, origin: string, token: string): Promise<Grant> {
  const { aud, role, sub, jti } = await verifiedClaims(db, origin, token);
  if (await new DrizzleKvStore(db).get(revokedKey(jti))) throw new InvalidTokenError("revoked");
  return { audience: aud, role, label: sub };
}

/** Revokes a valid token for the rest of its life (signing out of the console does this). */
export async function revokeToken(db: Db, origin: string, token: string): Promise<void> {
  const { jti, exp } = await verifiedClaims(db, origin, token);
  await revokeTokenId(db, jti, exp);
}

/** Revokes a token by its ID (the console's session list knows IDs, never tokens); `exp` in seconds since the epoch. */
export async function revokeTokenId(db: Db, jti: string, exp: number): Promise<void> {
  const ttl = Temporal.Duration.from({ seconds: Math.max(1, exp - Math.floor(Date.now() / 1000)) });
  await new DrizzleKvStore(db).set(revokedKey(jti), true, { ttl });
}

/** A token's ID and expiry, read after checking it (to list it as a session). */
export async function tokenId(db: Db, origin: string, token: string): Promise<{ jti: string; exp: number }> {
  const { jti, exp } = await verifiedClaims(db, origin, token);
  return { jti, exp };
}

async function verifiedClaims(db: Db, origin: string, token: string): Promise<z.infer<typeof claims>> {
  const { publicKey } = await tokenKey(db);
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: ["EdDSA"],
      issuer: origin,
      requiredClaims: ["exp", "sub", "jti"],
    });
    return claims.parse(payload);
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed && (await signedByActorKey(db, token)))
      throw new InvalidTokenError("invalid", SUPERSEDED);
    if (e instanceof errors.JOSEError || e instanceof z.ZodError)
      throw new InvalidTokenError(e instanceof errors.JWTExpired ? "expired" : "invalid");
    throw e;
  }
}

/** Whether the instance actor's key signed this token: only to tell its holder why it stopped working. */
async function signedByActorKey(db: Db, token: string): Promise<boolean> {
  const ed25519 = await actorEd25519Key(db, INSTANCE_ACTOR);
  if (!ed25519) return false;
  try {
    await jwtVerify(token, ed25519.publicKey, { algorithms: ["EdDSA"] });
    return true;
  } catch {
    return false;
  }
}
