import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import type { Services } from "../../federation";
import { adminApi } from "./admin";
import { stewardConsole } from "../console/routes";
import { stewardApi } from "./api";
import { federationMiddleware } from "./federation";
import { healthRoutes, unavailableOnError, type Health } from "./health";
import { inboxGuard } from "./inbox-guard";
import { publicPages } from "./pages";
import { reportPages } from "./reports";
import { transparencyRoutes } from "./transparency";
import { governancePages } from "./governance";
import { siteChrome } from "./site";
import { siteAssets } from "./site-assets";
import { remoteInteraction } from "./remote-interaction";
import { tagPages } from "../pages/tags";

export function createApp(federation: Federation<Services>, services: Services, adminToken?: string, health?: Health): Hono {
  const app = new Hono();
  // a database that is out of reach gives 503 + Retry-After, never a 202 for work not kept
  app.onError(unavailableOnError);
  if (health) app.route("/", healthRoutes(health));
  // the public layout reads the request's chrome (header, footer) while rendering
  app.use(contextStorage());
  app.use(inboxGuard);
  app.use(federationMiddleware(federation, services));
  if (adminToken) app.route("/", adminApi(services, adminToken));
  app.route("/", siteAssets());
  for (const path of ["/", "/communities/*", "/methodology", "/transparency", "/transparency/*", "/tags/*"]) app.use(path, siteChrome(services));
  app.route("/api/v1", stewardApi(federation, services));
  app.route("/", transparencyRoutes(services));
  app.route("/", governancePages(services));
  app.route("/console", stewardConsole(federation, services));
  app.route("/", reportPages(services));
  app.route("/", tagPages(services));
  app.route("/", remoteInteraction(federation, services));
  app.route("/", publicPages(services));
  return app;
}
