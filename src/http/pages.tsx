import { Hono } from "hono";
import type { Services } from "../../federation";
import { findCommunity, listCommunities } from "../domain/communities";
import { countFollowers } from "../domain/followers";
import { CommunityPage, HomePage } from "../pages/community";

export function publicPages(services: Services): Hono {
  const host = new URL(services.config.origin).host;
  const app = new Hono();
  app.get("/", async (c) => c.html(<HomePage communities={await listCommunities(services.db)} host={host} />));
  app.get("/communities/:handle", async (c) => {
    const community = await findCommunity(services.db, c.req.param("handle"));
    if (!community) return c.notFound();
    const followers = await countFollowers(services.db, community.id);
    return c.html(<CommunityPage community={community} host={host} followers={followers} />);
  });
  app.get("/@:handle", (c) => c.redirect(`/communities/${c.req.param("handle")}`, 301));
  return app;
}
