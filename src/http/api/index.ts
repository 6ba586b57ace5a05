import type { CampaignPublisher } from "../../domain/publisher";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Services } from "../../services";
import { problem } from "../problem";
import { authenticate, type ApiEnv } from "./auth";
import { campaignRoutes } from "./campaigns";
import { ApiError, onApiError } from "./errors";
import { governanceRoutes } from "./governance";
import { moderationRoutes } from "./moderation";

// A campaign's description is at most 20,000 characters; anything far larger is not a campaign.
const MAX_BODY_BYTES = 256 * 1024;

/** The Steward API, mounted under /api/v1: JSON in and out, errors as RFC 9457 problem details. */
export function stewardApi(publisher: CampaignPublisher, services: Services): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.onError(onApiError);
  api.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problem(c, 413, "Payload too large", `A request body may be at most ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  api.use("/communities/:handle/*", authenticate(services));
  api.route("/communities/:handle/campaigns", campaignRoutes(publisher, services));
  api.route("/communities/:handle/governance", governanceRoutes(services));
  api.route("/communities/:handle/moderation", moderationRoutes(publisher, services));
  api.all("*", () => {
    throw new ApiError(404, "Not found", "No such API route.");
  });
  return api;
}
