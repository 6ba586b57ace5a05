import { getConnInfo } from "@hono/node-server/conninfo";
import { getLogger } from "@logtape/logtape";
import { lt } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimits } from "../../drizzle/schema";
import type { Config } from "../config";
import type { Db } from "../db/database";
import { isInbox } from "./inbox-guard";
import { problem } from "./problem";

const logger = getLogger(["ensemble", "floods"]);

/**
 * Flood limits, counted in the database (rate-limiter-flexible's RateLimiterDrizzle, one
 * `rate_limits` row per key and minute) so that every web process counts the same flood. Once a
 * key is over its limit, the process that saw it answers `429` from memory until the window ends
 * (no database round trip per refused request); another process finds out at its next count, so
 * a limit is overshot by at most one request per process.
 */
class Limit {
  readonly #limiter: RateLimiterDrizzle;

  constructor(db: Db, prefix: string, perMinute: number) {
    this.#limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: prefix,
      points: perMinute,
      duration: 60,
      inMemoryBlockOnConsumed: perMinute,
      clearExpiredByTimeout: false, // swept with the other expired rows (sweepRateLimits)
    });
  }

  /** Counts one request; the milliseconds to wait when it is one too many, else 0. */
  async count(key: string): Promise<number> {
    try {
      await this.#limiter.consume(key);
      return 0;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(outcome.msBeforeNext, 1);
      throw outcome;
    }
  }

  /** How long this key is known (in this process) to be over its limit; no database read. */
  blockedFor(key: string): number {
    // a public method of RateLimiterStoreAbstract that the package's typings leave out
    const store = this.#limiter as unknown as { getInMemoryBlockMsBeforeExpire(rlKey: string): number };
    return store.getInMemoryBlockMsBeforeExpire(this.#limiter.getKey(key));
  }
}

/** Limits with 0 per minute are off. */
const limit = (db: Db, prefix: string, perMinute: number) =>
  perMinute > 0 ? new Limit(db, prefix, perMinute) : undefined;

function tooMany(c: Context, ms: number, what: string): Response {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  c.header("Retry-After", String(seconds));
  return problem(c, 429, "Too many requests", `${what}: try again in ${seconds} s.`);
}

/**
 * The client's address: the socket's peer, or, behind a reverse proxy that says so
 * (`ENSEMBLE_TRUST_PROXY=true`), the last `X-Forwarded-For` entry, the one that proxy added
 * (earlier entries are whatever the client wrote).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (forwarded.length) return forwarded[forwarded.length - 1];
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // not served by a Node socket (in-process requests)
  }
}

/** The key a request says it is signed with (draft-cavage `Signature` or RFC 9421 `Signature-Input`). */
function claimedKeyId(c: Context): URL | undefined {
  const header = `${c.req.header("signature") ?? ""} ${c.req.header("signature-input") ?? ""}`;
  const id = /keyid="([^"]+)"/i.exec(header)?.[1];
  return id && URL.canParse(id) ? new URL(id) : undefined;
}

/**
 * The inbox, in three steps:
 * 1. before anything, per client address: the one thing TCP proves, so a flood of unsigned or
 *    badly signed requests is cut before any JSON-LD or key fetching;
 * 2. a sender whose server (the signing key's host) or key (≈ actor: Mastodon signs with the
 *    author's key) is already over its limit is refused before its signature is checked;
 * 3. server and key are counted only once the activity was accepted (Fedify verified the
 *    signature and answered 2xx). A claim costs nothing to write: counting claimed senders would
 *    let anyone spend a victim server's quota with forged requests; counting verified ones
 *    cannot, and the host of the key is the one a verified signature vouches for.
 */
function inboxFloods(db: Db, config: Config): MiddlewareHandler {
  const { inboxAddress, inboxServer, inboxActor } = config.rateLimits;
  const byAddress = limit(db, "inbox-address", inboxAddress);
  const byServer = limit(db, "inbox-server", inboxServer);
  const byActor = limit(db, "inbox-actor", inboxActor);
  return async (c, next) => {
    if (c.req.method !== "POST" || !isInbox(c.req.path)) return next();
    const address = clientAddress(c, config.trustProxy);
    const wait = (await byAddress?.count(address)) ?? 0;
    if (wait) return tooMany(c, wait, `Too many activities from ${address}`);
    const key = claimedKeyId(c);
    const server = key?.host.toLowerCase();
    const keyName = key?.href;
    const blocked = Math.max(
      server ? (byServer?.blockedFor(server) ?? 0) : 0,
      keyName ? (byActor?.blockedFor(keyName) ?? 0) : 0,
    );
    if (blocked) return tooMany(c, blocked, `Too many activities from ${server}`);
    await next();
    if (!server || !keyName || c.res.status >= 300) return;
    // the answer is decided (the activity is queued); a failed count must not turn it into an error
    await Promise.all([byServer?.count(server), byActor?.count(keyName)]).catch((error) =>
      logger.warn("Could not count an activity from {server}: {error}", { server, error }),
    );
  };
}

/** Per client address, before the handler: console sign-in attempts, public sentiment reports. */
function perAddress(
  db: Db,
  config: Config,
  prefix: string,
  perMinute: number,
  applies: (c: Context) => boolean,
  what: string,
): MiddlewareHandler {
  const byAddress = limit(db, prefix, perMinute);
  return async (c, next) => {
    if (!byAddress || !applies(c)) return next();
    const wait = await byAddress.count(clientAddress(c, config.trustProxy));
    if (wait) return tooMany(c, wait, what);
    return next();
  };
}

const REPORT_PATH = /^\/communities\/[^/]+\/(reports|campaigns\/[^/]+\/report)(\.json|\.csv)?$/;

export function floodGuards(db: Db, config: Config): MiddlewareHandler[] {
  return [
    inboxFloods(db, config),
    perAddress(
      db,
      config,
      "signin",
      config.rateLimits.signin,
      (c) => c.req.method === "POST" && c.req.path === "/console/signin",
      "Too many sign-in attempts",
    ),
    perAddress(
      db,
      config,
      "reports",
      config.rateLimits.reports,
      (c) => c.req.method === "GET" && REPORT_PATH.test(c.req.path),
      "Too many report requests",
    ),
  ];
}

/** Rows of windows that ended over an hour ago; run with the other periodic sweeps. */
export async function sweepRateLimits(db: Db): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.expire, new Date(Date.now() - 3600_000)));
}
