import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import { actorKeyLister, campaignPublisher } from "../../federation";
import type { Services } from "../services";
import { adminApi } from "./admin";
import { stewardConsole } from "../console/routes";
import { publicSite } from "../site";
import { stewardApi } from "./api";
import { federationMiddleware } from "./federation";
import { healthRoutes, type Health } from "./health";
import { unavailableOnError } from "./on-error";
import { assetRoutes } from "./assets";
import { floodGuards } from "./floods";
import { inboxAuthority } from "./inbox-authority";
import { inboxFastLane, type FastLane } from "./inbox-fast-lane";
import { inboxGuard } from "./inbox-guard";
import { requestBodyLimit, securityHeaders } from "./page-security";

export function createApp(
  federation: Federation<Services>,
  services: Services,
  adminToken?: string,
  health?: Health,
  fastLane?: FastLane,
): Hono {
  const app = new Hono();
  // steward actions reach followers through this; src/http/app.ts is where federation/ is wired in
  const publisher = campaignPublisher(federation, services);
  // a database that is out of reach gives 503 + Retry-After, never a 202 for work not kept
  app.onError(unavailableOnError);
  app.use(securityHeaders(services.config.origin));
  if (health) app.route("/", healthRoutes(health));
  // floods are cut before any parsing or signature work
  for (const guard of floodGuards(services.db, services.config)) app.use(guard);
  // the public site's layout reads the request's chrome (header, footer) while rendering
  app.use(contextStorage());
  app.use(inboxGuard);
  app.use(inboxAuthority(actorKeyLister(federation, services)));
  // plain signed Create(Note)s are verified and queued here, in batches; all else goes to Fedify
  if (fastLane) app.use(inboxFastLane(fastLane));
  app.use(requestBodyLimit);
  app.use(federationMiddleware(federation, services));
  if (adminToken) app.route("/", adminApi(services, adminToken));
  app.route("/api/v1", stewardApi(publisher, services));
  app.route("/", assetRoutes());
  app.route("/console", stewardConsole(publisher, services));
  app.route("/", publicSite(federation, services));
  return app;
}
