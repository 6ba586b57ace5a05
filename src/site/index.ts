import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import type { Services } from "../services";
import { campaignSatelliteRoutes } from "./campaign-satellites";
import { siteChrome } from "./chrome";
import { publicPages } from "./communities";
import { communityImageRoutes } from "./community-images";
import { governancePages } from "./governance";
import { remoteInteraction } from "./remote-interaction";
import { reportPages } from "./reports";
import { tagPages } from "./tags";
import { transparencyRoutes } from "./transparency";

/**
 * The public site: every page a visitor reads (communities, campaigns, reports, governance, the
 * public record, methodology, tags), the images and documents beside them, and joining from one's
 * own server. Each route file here queries and hands the result to its view in ./pages, drawn in
 * the site's layout (./pages/layout.tsx). Needs hono's contextStorage() before it (the layout
 * reads the request's chrome while rendering).
 */
export function publicSite(federation: Federation<Services>, services: Services): Hono {
  const app = new Hono();
  for (const path of ["/", "/communities/*", "/methodology", "/transparency", "/transparency/*", "/tags/*"])
    app.use(path, siteChrome(services));
  app.route("/", transparencyRoutes(services));
  app.route("/", governancePages(services));
  app.route("/", reportPages(services));
  app.route("/", communityImageRoutes(services.db));
  app.route("/", campaignSatelliteRoutes(services.db));
  app.route("/", tagPages(services));
  app.route("/", remoteInteraction(federation, services));
  app.route("/", publicPages(services));
  return app;
}
