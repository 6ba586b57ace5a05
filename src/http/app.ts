import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import type { Services } from "../../federation";
import { adminApi } from "./admin";
import { federationMiddleware } from "./federation";
import { inboxGuard } from "./inbox-guard";
import { publicPages } from "./pages";

export function createApp(federation: Federation<Services>, services: Services, adminToken?: string): Hono {
  const app = new Hono();
  app.use(inboxGuard);
  app.use(federationMiddleware(federation, services));
  if (adminToken) app.route("/", adminApi(services, adminToken));
  app.route("/", publicPages(services));
  return app;
}
