import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import { actorKeyLister, campaignPublisher } from "../../federation";
import type { Services } from "../services";
import { adminApi } from "./admin";
import { stewardConsole } from "../console/routes";
import { stewardApi } from "./api";
import { federationMiddleware } from "./federation";
import { healthRoutes, unavailableOnError, type Health } from "./health";
import { assetRoutes } from "./assets";
import { floodGuards } from "./floods";
import { inboxAuthority } from "./inbox-authority";
import { inboxFastLane, type FastLane } from "./inbox-fast-lane";
import { inboxGuard } from "./inbox-guard";
import { requestBodyLimit, securityHeaders } from "./page-security";
import { publicPages } from "./pages";
import { reportPages } from "./reports";
import { transparencyRoutes } from "./transparency";
import { governancePages } from "./governance";
import { campaignSatelliteRoutes } from "./campaign-satellites";
import { communityImageRoutes } from "./community-images";
import { siteChrome } from "./site";
import { remoteInteraction } from "./remote-interaction";
import { tagPages } from "../pages/tags";

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
  // the public layout reads the request's chrome (header, footer) while rendering
  app.use(contextStorage());
  app.use(inboxGuard);
  app.use(inboxAuthority(actorKeyLister(federation, services)));
  // plain signed Create(Note)s are verified and queued here, in batches; all else goes to Fedify
  if (fastLane) app.use(inboxFastLane(fastLane));
  app.use(requestBodyLimit);
  app.use(federationMiddleware(federation, services));
  if (adminToken) app.route("/", adminApi(services, adminToken));
  for (const path of ["/", "/communities/*", "/methodology", "/transparency", "/transparency/*", "/tags/*"])
    app.use(path, siteChrome(services));
  app.route("/api/v1", stewardApi(publisher, services));
  app.route("/", assetRoutes());
  app.route("/", transparencyRoutes(services));
  app.route("/", governancePages(services));
  app.route("/console", stewardConsole(publisher, services));
  app.route("/", reportPages(services));
  app.route("/", communityImageRoutes(services.db));
  app.route("/", campaignSatelliteRoutes(services.db));
  app.route("/", tagPages(services));
  app.route("/", remoteInteraction(federation, services));
  app.route("/", publicPages(services));
  return app;
}
