import type { Campaign } from "../domain/campaigns";
import type { Community } from "../domain/communities";
import { CampaignDates, GoalProgress, statusLabel } from "./campaign-parts";
import { Layout } from "./layout";

export interface CampaignListing {
  campaign: Campaign;
  participants: number;
}

export function CommunityPage(props: { community: Community; host: string; followers: number; campaigns: CampaignListing[] }) {
  const { community } = props;
  return (
    <Layout title={community.name}>
      <h1>{community.name}</h1>
      <p class="handle">
        @{community.handle}@{props.host}
      </p>
      <p>{community.summary}</p>
      <p>
        {props.followers} {props.followers === 1 ? "follower" : "followers"}
      </p>
      <p>
        Follow this community from your Mastodon, Misskey, Pleroma, GoToSocial or Lemmy account by searching for{" "}
        <code>
          @{community.handle}@{props.host}
        </code>
        .
      </p>
      <h2>Campaigns</h2>
      {props.campaigns.length === 0 ? (
        <p>No campaign yet.</p>
      ) : (
        props.campaigns.map(({ campaign, participants }) => (
          <article class="card">
            <h3 lang={campaign.language}>
              <a href={`/communities/${community.handle}/campaigns/${campaign.id}`}>{campaign.title}</a>
            </h3>
            <p class="meta">
              {statusLabel(campaign)} · <CampaignDates campaign={campaign} />
            </p>
            <GoalProgress id={`progress-${campaign.id}`} participants={participants} goal={campaign.goal} />
          </article>
        ))
      )}
    </Layout>
  );
}

export function HomePage(props: { communities: Community[]; host: string }) {
  return (
    <Layout title="Communities">
      <h1>Communities on {props.host}</h1>
      {props.communities.length === 0 ? (
        <p>No community yet. A steward creates one with <code>npx ensemble community create</code>.</p>
      ) : (
        <ul>
          {props.communities.map((c) => (
            <li>
              <a href={`/communities/${c.handle}`}>{c.name}</a> <span class="handle">@{c.handle}</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
