import { Hono } from "hono";
import type { Services } from "../services";
import type { Campaign } from "../domain/campaigns";
import { listTaggedCampaigns, normalizeTag } from "../domain/tags";
import { readerLang } from "../http/reader-lang";
import { t, type Lang } from "../i18n";
import { CampaignDates, statusLabel } from "./pages/campaign-parts";
import { Layout } from "./pages/layout";

// Campaign posts carry Hashtag objects whose href is /tags/{tag} (federation/campaign-object.ts):
// fediverse clients link there, so the page lists the public campaigns with that hashtag.
export function tagPages(services: Services): Hono {
  const app = new Hono();
  app.get("/tags/:tag", async (c) => {
    const tag = normalizeTag(c.req.param("tag"));
    if (!tag) return c.notFound();
    const found = await listTaggedCampaigns(services.db, tag);
    return c.html(<TagPage tag={tag} found={found} lang={readerLang(c)} />);
  });
  return app;
}

export function TagPage(props: {
  tag: string;
  found: Array<{ campaign: Campaign; community: { handle: string; name: string } }>;
  lang: Lang;
}) {
  const { tag, lang } = props;
  return (
    <Layout title={t(lang, "site.tag.title", { tag })} lang={lang}>
      <h1>{t(lang, "site.tag.title", { tag })}</h1>
      {props.found.length === 0 ? (
        <p>{t(lang, "site.tag.none")}</p>
      ) : (
        props.found.map(({ campaign, community }) => (
          <article class="card">
            <h2 lang={campaign.language}>
              <a href={`/communities/${community.handle}/campaigns/${campaign.id}`}>{campaign.title}</a>
            </h2>
            <p class="meta">
              <a href={`/communities/${community.handle}`}>{community.name}</a> · {statusLabel(campaign, lang)} ·{" "}
              <CampaignDates campaign={campaign} lang={lang} />
            </p>
          </article>
        ))
      )}
    </Layout>
  );
}
