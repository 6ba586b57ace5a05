import type { CampaignPublisher } from "../../domain/publisher";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Services } from "../../services";
import {
  campaignPatch,
  createCampaign,
  findCampaign,
  listCampaigns,
  listCampaignUpdates,
  newCampaign,
  tally,
  type Campaign,
  isCampaignOf,
} from "../../domain/campaigns";
import { countParticipants } from "../../domain/participants";
import { campaignActions, campaignOutcome } from "../../domain/campaign-actions";
import { stewardsOnly, type ApiEnv } from "./auth";
import { readJson } from "./body";
import { underField } from "../../domain/field-errors";
import { ApiError } from "./errors";
import { campaignDetail, campaignSummary, updateJson } from "./representations";

const patchBody = campaignPatch.refine((p) => Object.keys(p).length > 0, "send at least one field to change");
const updateBody = z.object({ content: z.string() });
const closeBody = z.object({ outcome: campaignOutcome });

/**
 * Campaigns of the community in the path (authenticated by the parent app). Each change is
 * made in the database first, then federated: the outbox functions only enqueue deliveries.
 */
export function campaignRoutes(publisher: CampaignPublisher, services: Services): Hono<ApiEnv> {
  const { db } = services;
  const actions = campaignActions(publisher, services);
  const app = new Hono<ApiEnv>();

  const detail = async (c: Context<ApiEnv>, campaign: Campaign) => {
    const community = c.get("community");
    const updates = (await listCampaignUpdates(db, campaign.id)).map((u) =>
      updateJson(u, publisher.updateUri(community, campaign, u).href),
    );
    return campaignDetail(
      campaign,
      publisher.campaignUri(community, campaign).href,
      await tally(db, campaign.id),
      updates,
    );
  };

  app.get("/", async (c) => {
    const community = c.get("community");
    // token holders, moderators included, see drafts; the public pages never do
    const campaigns = await listCampaigns(db, community.id, { includeDrafts: true });
    const participants = await countParticipants(
      db,
      campaigns.map((x) => x.id),
    );
    return c.json({
      campaigns: campaigns.map((x) =>
        campaignSummary(x, publisher.campaignUri(community, x).href, participants.get(x.id) ?? 0),
      ),
    });
  });

  app.post("/", stewardsOnly, async (c) => {
    const campaign = await createCampaign(db, c.get("community").id, await readJson(c, newCampaign));
    c.header("Location", `${c.req.path.replace(/\/$/, "")}/${campaign.id}`);
    return c.json(await detail(c, campaign), 201);
  });

  // Every route below names a campaign: it must belong to this community, and a deleted one is gone.
  app.use("/:id/*", async (c, next) => {
    const campaign = await findCampaign(db, c.req.param("id") ?? "");
    if (!campaign || !isCampaignOf(c.get("community"), campaign))
      throw new ApiError(404, "Not found", "No such campaign here.");
    if (campaign.deletedAt) throw new ApiError(410, "Gone", "This campaign was deleted.");
    c.set("campaign", campaign);
    await next();
  });

  app.get("/:id", async (c) => c.json(await detail(c, c.get("campaign"))));

  app.patch("/:id", stewardsOnly, async (c) => {
    const campaign = await actions.edit(c.get("community"), c.get("campaign"), await readJson(c, patchBody));
    return c.json(await detail(c, campaign));
  });

  app.post("/:id/publish", stewardsOnly, async (c) => {
    const campaign = await actions.publish(c.get("community"), c.get("campaign"));
    return c.json(await detail(c, campaign));
  });

  app.post("/:id/updates", stewardsOnly, async (c) => {
    const campaign = c.get("campaign");
    const { content } = await readJson(c, updateBody);
    const update = await actions.postUpdate(c.get("community"), campaign, content, underField("content"));
    return c.json(updateJson(update, publisher.updateUri(c.get("community"), campaign, update).href), 201);
  });

  app.post("/:id/close", stewardsOnly, async (c) => {
    const { outcome } = await readJson(c, closeBody);
    const campaign = await actions.close(c.get("community"), c.get("campaign"), outcome, c.get("grant").label);
    return c.json(await detail(c, campaign));
  });

  app.delete("/:id", stewardsOnly, async (c) => {
    await actions.remove(c.get("community"), c.get("campaign"));
    return c.body(null, 204);
  });

  return app;
}
