import { Hono } from "hono";
import type { Services } from "../services";
import { findCampaign, isPublishedCampaignOf, listCampaigns, listCampaignUpdates, tally } from "../domain/campaigns";
import { findCommunity, listCommunities } from "../domain/communities";
import { countFollowers } from "../domain/followers";
import { countParticipants } from "../domain/participants";
import { listPublicReplies } from "../domain/replies";
import { CampaignGonePage, CampaignPage } from "./pages/campaign";
import { CommunityPage, HomePage } from "./pages/community";
import { readerLang } from "../http/reader-lang";
import { campaignUrl } from "../domain/urls";

export function publicPages(services: Services): Hono {
  const { db, config } = services;
  const host = new URL(config.origin).host;
  const app = new Hono();
  app.get("/", async (c) => {
    const communities = await listCommunities(db);
    const listings = await Promise.all(
      communities.map(async (community) => ({ community, campaigns: (await listCampaigns(db, community.id)).length })),
    );
    return c.html(<HomePage communities={listings} host={host} lang={readerLang(c)} />);
  });
  app.get("/communities/:handle", async (c) => {
    const community = await findCommunity(db, c.req.param("handle"));
    if (!community) return c.notFound();
    const followers = await countFollowers(db, community.id);
    const campaigns = await listCampaigns(db, community.id);
    const participants = await countParticipants(
      db,
      campaigns.map((x) => x.id),
    );
    const listings = campaigns.map((campaign) => ({ campaign, participants: participants.get(campaign.id) ?? 0 }));
    return c.html(
      <CommunityPage
        community={community}
        host={host}
        followers={followers}
        campaigns={listings}
        lang={readerLang(c)}
      />,
    );
  });
  // The same URL is the poll's ActivityPub id: Fedify answers ActivityPub clients, browsers get here.
  app.get("/communities/:handle/campaigns/:id", async (c) => {
    const community = await findCommunity(db, c.req.param("handle"));
    const campaign = community && (await findCampaign(db, c.req.param("id")));
    // a draft is not public yet: to the public it does not exist
    if (!community || !campaign || !isPublishedCampaignOf(community, campaign)) return c.notFound();
    if (campaign.deletedAt) return c.html(<CampaignGonePage community={community} lang={readerLang(c)} />, 410);
    const page = (
      <CampaignPage
        community={community}
        campaign={campaign}
        url={campaignUrl(config.origin, community.handle, campaign.id)}
        followHandle={`@${community.handle}@${host}`}
        tally={await tally(db, campaign.id)}
        updates={await listCampaignUpdates(db, campaign.id)}
        replies={await listPublicReplies(db, campaign.id)}
        lang={readerLang(c)}
      />
    );
    return c.html(page);
  });
  app.get("/@:handle", (c) => c.redirect(`/communities/${c.req.param("handle")}`, 301));
  return app;
}
