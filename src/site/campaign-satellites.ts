import { Hono } from "hono";
import { findCampaign, isPublishedCampaignOf } from "../domain/campaigns";
import { findCommunity } from "../domain/communities";
import type { Db } from "../db/database";

/**
 * What a campaign's other ActivityPub URLs (its Event, its updates) answer when Fedify did not:
 * `410 Gone` once the campaign is deleted, so servers that cached them drop them; a browser
 * is sent to the campaign page; anything else is not found.
 */
export function campaignSatelliteRoutes(db: Db) {
  const app = new Hono();
  for (const path of [
    "/communities/:handle/campaigns/:id/event",
    "/communities/:handle/campaigns/:id/updates/:updateId",
  ]) {
    app.get(path, async (c) => {
      const community = await findCommunity(db, c.req.param("handle") ?? "");
      const campaign = community && (await findCampaign(db, c.req.param("id") ?? ""));
      if (!community || !campaign || !isPublishedCampaignOf(community, campaign)) return c.notFound();
      if (campaign.deletedAt) return c.text("This campaign was deleted.", 410);
      return c.redirect(`/communities/${community.handle}/campaigns/${campaign.id}`, 303);
    });
  }
  return app;
}
