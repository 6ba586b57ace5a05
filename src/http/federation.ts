import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { Services } from "../services";

/**
 * Lets Fedify answer what it routes (actors, inboxes, collections, WebFinger, NodeInfo) and
 * hands the rest to Hono, including browsers asking for an actor's URL (HTML profile).
 */
export function federationMiddleware(federation: Federation<Services>, services: Services): MiddlewareHandler {
  return async (c, next) => {
    return federation.fetch(c.req.raw, {
      contextData: services,
      onNotFound: async () => {
        await next();
        return c.res;
      },
      onNotAcceptable: async () => {
        await next();
        if (c.res.status !== 404) return c.res;
        return new Response("Not acceptable", { status: 406, headers: { Vary: "Accept" } });
      },
    });
  };
}
