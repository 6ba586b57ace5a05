import type { MiddlewareHandler } from "hono";
import type { Services } from "../../services";
import type { Campaign } from "../../domain/campaigns";
import { findCommunity, type Community } from "../../domain/communities";
import { communityAudience, InvalidTokenError, verifyToken, type Grant } from "../../domain/tokens";
import { ApiError } from "./errors";

export interface ApiEnv {
  Variables: { grant: Grant; community: Community; campaign: Campaign };
}

/**
 * Bearer token for the community named in the path. A token that proves nothing (missing,
 * malformed, forged, expired) is 401; a genuine token for another community is 403, since
 * its holder is known but not allowed here (RFC 6750's invalid_token and insufficient_scope).
 * Authentication comes before the community lookup, so strangers cannot probe which exist.
 */
export function authenticate(services: Services): MiddlewareHandler<ApiEnv> {
  const { db, config } = services;
  return async (c, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token) {
      throw new ApiError(401, "Unauthorized", "Send a steward token as Authorization: Bearer <token>.", {
        "WWW-Authenticate": 'Bearer realm="ensemble"',
      });
    }
    let grant: Grant;
    try {
      grant = await verifyToken(db, config.origin, token);
    } catch (e) {
      if (!(e instanceof InvalidTokenError)) throw e;
      throw new ApiError(401, "Unauthorized", e.message, {
        "WWW-Authenticate": 'Bearer realm="ensemble", error="invalid_token"',
      });
    }
    const handle = c.req.param("handle") ?? "";
    if (grant.audience !== communityAudience(config.origin, handle)) {
      throw new ApiError(403, "Forbidden", "This token was issued for another community.", {
        "WWW-Authenticate": 'Bearer realm="ensemble", error="insufficient_scope"',
      });
    }
    const community = await findCommunity(db, handle);
    if (!community) throw new ApiError(404, "Not found", `No community "${handle}".`);
    c.set("grant", grant);
    c.set("community", community);
    await next();
  };
}

/** Moderators read; only stewards change campaigns. */
export const stewardsOnly: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.get("grant").role !== "steward") {
    throw new ApiError(403, "Forbidden", "Only a steward token can do this; this one is a moderator's.");
  }
  await next();
};
