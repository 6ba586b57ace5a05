import { raw } from "hono/html";
import type { Campaign, CampaignUpdate, Tally } from "../domain/campaigns";
import type { Community } from "../domain/communities";
import type { PublicReply } from "../domain/replies";
import { CampaignDates, GoalProgress, statusLabel, When } from "./campaign-parts";
import { Layout } from "./layout";

export interface CampaignPageProps {
  community: Community;
  campaign: Campaign;
  /** The page's own address, which is also the poll's ActivityPub id: what people search for. */
  url: string;
  tally: Tally;
  updates: CampaignUpdate[];
  replies: PublicReply[];
}

// Author IRIs come from remote servers: only web addresses become links.
const isWebUrl = (s: string) => /^https?:\/\//i.test(s);

export function CampaignPage(props: CampaignPageProps) {
  const { community, campaign, tally } = props;
  const lang = campaign.language;
  return (
    <Layout title={`${campaign.title} · ${community.name}`}>
      <p>
        <a href={`/communities/${community.handle}`}>{community.name}</a>
      </p>
      <h1 lang={lang}>{campaign.title}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{statusLabel(campaign)}</dd>
        <dt>Dates</dt>
        <dd>
          <CampaignDates campaign={campaign} />
        </dd>
        {campaign.publishedAt && (
          <>
            <dt>Published</dt>
            <dd>
              <When date={campaign.publishedAt} />
              {campaign.editedAt && (
                <>
                  , edited <When date={campaign.editedAt} />
                </>
              )}
            </dd>
          </>
        )}
        {campaign.closedAt && (
          <>
            <dt>Closed</dt>
            <dd>
              <When date={campaign.closedAt} />
            </dd>
          </>
        )}
        {campaign.hashtags.length > 0 && (
          <>
            <dt>Hashtags</dt>
            <dd>{campaign.hashtags.map((h) => `#${h}`).join(" ")}</dd>
          </>
        )}
      </dl>
      <GoalProgress id="goal-progress" participants={tally.participants} goal={campaign.goal} />

      {campaign.status === "closed" && campaign.outcome && (
        <section aria-labelledby="outcome">
          <h2 id="outcome">Outcome</h2>
          <p class="text" lang={lang}>
            {campaign.outcome}
          </p>
        </section>
      )}

      <section aria-labelledby="about">
        <h2 id="about">About</h2>
        {/* sanitized once, on write (renderMarkdown); the only markup this page embeds */}
        <div lang={lang}>{raw(campaign.descriptionHtml)}</div>
      </section>

      <section aria-labelledby="steps">
        <h2 id="steps">Steps</h2>
        <ol lang={lang}>
          {tally.steps.map((step) => (
            <li>
              {step.text} <span class="meta">({step.participants === 1 ? "1 person" : `${step.participants} people`})</span>
            </li>
          ))}
        </ol>
      </section>

      {campaign.status === "open" && (
        <section aria-labelledby="join">
          <h2 id="join">How to take part</h2>
          <p>
            From your Mastodon, Misskey, Pleroma or GoToSocial account, search for <code>{props.url}</code> and vote for
            the steps you commit to. Replies to the post appear below.
          </p>
        </section>
      )}

      <section aria-labelledby="updates">
        <h2 id="updates">Updates from the stewards</h2>
        {props.updates.length === 0 ? (
          <p>No update yet.</p>
        ) : (
          props.updates.map((u) => (
            <article class="card">
              <p class="meta">
                <When date={u.publishedAt} />
              </p>
              <p class="text" lang={lang}>
                {u.content}
              </p>
            </article>
          ))
        )}
      </section>

      <section aria-labelledby="replies">
        <h2 id="replies">Replies</h2>
        {props.replies.length === 0 ? (
          <p>No reply yet.</p>
        ) : (
          props.replies.map((r) => (
            <article class="card">
              <p class="meta">
                {isWebUrl(r.authorIri) ? (
                  <a href={r.authorIri} rel="nofollow noopener ugc">
                    {r.authorIri}
                  </a>
                ) : (
                  r.authorIri
                )}
                , <When date={r.published} />
              </p>
              <p class="text" lang={r.language ?? undefined}>
                {r.text}
              </p>
            </article>
          ))
        )}
      </section>
    </Layout>
  );
}

export function CampaignGonePage(props: { community: Community }) {
  return (
    <Layout title="Campaign deleted">
      <h1>This campaign was deleted</h1>
      <p>
        Its stewards deleted it. See the other campaigns of{" "}
        <a href={`/communities/${props.community.handle}`}>{props.community.name}</a>.
      </p>
    </Layout>
  );
}
