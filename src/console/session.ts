import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Services } from "../services";
import { findCommunity, type Community } from "../domain/communities";
import { governance } from "../domain/governance";
import { communityAudience, InvalidTokenError, issueToken, revokeToken, tokenId, verifyToken } from "../domain/tokens";
import { forgetSession, recordSession } from "./sessions";

/**
 * Console sessions: the cookie holds a steward token (tokens.ts), so sessions need no table
 * and any process sharing the database can verify them. It is scoped to /console and HttpOnly,
 * so neither the public pages nor scripts can read it.
 */

export const SESSION_COOKIE = "ensemble_console";
// A week: signing in again takes a passkey touch, and every session is listed and revocable.
const SESSION_LIFETIME = "7d";
const SESSION_SECONDS = 7 * 86_400;

const cookieOptions = (origin: string) => ({
  httpOnly: true,
  secure: origin.startsWith("https:"),
  sameSite: "Lax" as const,
  path: "/console",
});

export interface Session {
  community: Community;
  /** Who signed in (the invite's label). */
  label: string;
  /** Anti-forgery token that every POST form of this session carries. */
  csrf: string;
  /** The session token's ID, so the session list can mark "this session". */
  token: string;
}

export type SessionProblem = "missing" | "expired" | "ended" | "forged";

export class SessionError extends Error {
  constructor(readonly problem: SessionProblem) {
    super(`console session ${problem}`);
  }
}

/**
 * Derived from the session cookie, which a cross-site page can neither read nor guess; no
 * server secret is needed. A form posted by another site cannot carry it.
 */
const csrfFor = (cookie: string) => createHash("sha256").update(`ensemble-console-csrf:${cookie}`).digest("base64url");

/**
 * Whether a label may still sign in. Stewards invited from the console are named by their
 * account's IRI and hold that right only while they hold the steward role: removing the role
 * ends their links, passkeys and sessions alike. Labels given on the server's shell (the first
 * invite) are the administrator's to manage.
 */
export async function maySignIn(services: Services, community: Community, label: string): Promise<boolean> {
  if (!/^https?:\/\//.test(label)) return true;
  const { roles } = await governance(services.db, community.id);
  return roles.some((r) => r.actor === label && r.role === "steward");
}

/** `via` says how the steward proved who they are (an invite link or a passkey), as the session list shows it. */
export async function startSession(
  c: Context,
  services: Services,
  community: Community,
  label: string,
  via: "invite" | "passkey",
): Promise<void> {
  const token = await issueToken(services.db, services.config.origin, community, { expires: SESSION_LIFETIME, label });
  await recordSession(services.db, services.config.origin, community, token, {
    label,
    via,
    userAgent: c.req.header("user-agent") ?? "",
  });
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(services.config.origin), maxAge: SESSION_SECONDS });
}

/** Signing out revokes the session's token, so a copy of the cookie taken earlier stops working too. */
export async function endSession(c: Context, services: Services): Promise<void> {
  const cookie = getCookie(c, SESSION_COOKIE);
  // an expired or forged token needs no revoking
  if (cookie) {
    try {
      const { jti } = await tokenId(services.db, services.config.origin, cookie);
      await revokeToken(services.db, services.config.origin, cookie);
      await forgetSession(services.db, jti);
    } catch (e) {
      if (!(e instanceof InvalidTokenError)) throw e;
    }
  }
  deleteCookie(c, SESSION_COOKIE, cookieOptions(services.config.origin));
}

export async function readSession(c: Context, services: Services): Promise<Session> {
  const { db, config } = services;
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) throw new SessionError("missing");
  let audience: string;
  let label: string;
  try {
    const grant = await verifyToken(db, config.origin, cookie);
    // a moderator's read-only API token pasted into a cookie does not make a steward
    if (grant.role !== "steward") throw new SessionError("forged");
    audience = grant.audience;
    label = grant.label;
  } catch (e) {
    if (e instanceof InvalidTokenError)
      throw new SessionError(({ expired: "expired", revoked: "ended", invalid: "forged" } as const)[e.problem]);
    throw e;
  }
  const prefix = communityAudience(config.origin, "");
  const community = audience.startsWith(prefix) ? await findCommunity(db, audience.slice(prefix.length)) : undefined;
  if (!community) throw new SessionError("forged");
  return { community, label, csrf: csrfFor(cookie), token: cookie };
}

export function csrfMatches(session: Session, sent: unknown): boolean {
  if (typeof sent !== "string") return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browsers say where a POST comes from (Sec-Fetch-Site, Origin): anything but this very origin
 * is refused before the form is even read. Old browsers that send neither still need the token.
 */
export function sameOrigin(c: Context, origin: string): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const from = c.req.header("origin");
  return !from || from === origin;
}
