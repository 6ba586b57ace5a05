import type { Campaign } from "../../domain/campaigns";
import type { Community } from "../../domain/communities";
import { t, type Lang } from "../../i18n";
import { CampaignDates, GoalProgress, statusLabel } from "./campaign-parts";
import { CopyText } from "./join";
import { Layout } from "./layout";

export interface CampaignListing {
  campaign: Campaign;
  participants: number;
}

export function CommunityPage(props: {
  community: Community;
  host: string;
  followers: number;
  campaigns: CampaignListing[];
  lang: Lang;
}) {
  const { community, lang } = props;
  return (
    <Layout title={community.name} lang={lang}>
      <h1>{community.name}</h1>
      <p class="handle">
        @{community.handle}@{props.host}
      </p>
      {community.summary && <p class="text">{community.summary}</p>}
      <p>{t(lang, "public.followers", { count: props.followers })}</p>
      <p>{t(lang, "site.join.follow")}</p>
      <p>
        <CopyText id="follow-handle" text={`@${community.handle}@${props.host}`} lang={lang} />
      </p>
      <h2 id="campaigns">{t(lang, "public.campaigns")}</h2>
      {props.campaigns.length === 0 ? (
        <p>{t(lang, "public.noCampaign")}</p>
      ) : (
        props.campaigns.map(({ campaign, participants }) => (
          <article class="card">
            <h3 lang={campaign.language}>
              <a href={`/communities/${community.handle}/campaigns/${campaign.id}`}>{campaign.title}</a>
            </h3>
            <p class="meta">
              {statusLabel(campaign, lang)} · <CampaignDates campaign={campaign} lang={lang} />
            </p>
            <GoalProgress id={`progress-${campaign.id}`} participants={participants} goal={campaign.goal} lang={lang} />
          </article>
        ))
      )}
    </Layout>
  );
}

export function HomePage(props: {
  communities: Array<{ community: Community; campaigns: number }>;
  host: string;
  lang: Lang;
}) {
  const { lang } = props;
  return (
    <Layout title={t(lang, "public.communities")} lang={lang}>
      <h1>{t(lang, "public.communitiesOn", { host: props.host })}</h1>
      <p>{t(lang, "site.home.intro")}</p>
      {props.communities.length === 0 ? (
        <p>
          {t(lang, "public.noCommunity")} <code>npx ensemble community create</code>.
        </p>
      ) : (
        props.communities.map(({ community: c, campaigns }) => (
          <article class="card">
            <h2>
              <a href={`/communities/${c.handle}`}>{c.name}</a>
            </h2>
            <p class="handle">
              @{c.handle}@{props.host}
            </p>
            {c.summary && <p class="text">{c.summary}</p>}
            <p class="meta">{t(lang, "site.home.campaigns", { count: campaigns })}</p>
          </article>
        ))
      )}
    </Layout>
  );
}
