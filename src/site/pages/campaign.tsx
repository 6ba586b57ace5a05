import { raw } from "hono/html";
import type { Campaign, CampaignUpdate, Tally } from "../../domain/campaigns";
import type { Community } from "../../domain/communities";
import type { PublicReply } from "../../domain/replies";
import { t, type Lang } from "../../i18n";
import { CampaignDates, GoalProgress, statusLabel } from "./campaign-parts";
import { When } from "./dates";
import { JoinSection } from "./join";
import { Layout } from "./layout";
import { ReplyAuthor } from "../../ui";

export interface CampaignPageProps {
  community: Community;
  campaign: Campaign;
  /** The page's own address, which is also the poll's ActivityPub id: what people search for. */
  url: string;
  /** The community's handle on the fediverse, `@climat@host`. */
  followHandle: string;
  tally: Tally;
  updates: CampaignUpdate[];
  replies: PublicReply[];
  /** The reader's language; the campaign's own texts keep theirs. */
  lang: Lang;
}

export function CampaignPage(props: CampaignPageProps) {
  const { community, campaign, tally, lang: ui } = props;
  const lang = campaign.language;
  return (
    <Layout title={`${campaign.title} · ${community.name}`} lang={ui}>
      <p>
        <a href={`/communities/${community.handle}`}>{community.name}</a>
      </p>
      <h1 lang={lang}>{campaign.title}</h1>
      <dl class="facts">
        <dt>{t(ui, "public.field.status")}</dt>
        <dd>{statusLabel(campaign, ui)}</dd>
        <dt>{t(ui, "public.field.dates")}</dt>
        <dd>
          <CampaignDates campaign={campaign} lang={ui} />
        </dd>
        {campaign.publishedAt && (
          <>
            <dt>{t(ui, "public.field.published")}</dt>
            <dd>
              <When date={campaign.publishedAt} lang={ui} />
              {campaign.editedAt && (
                <>
                  , {t(ui, "public.field.edited")} <When date={campaign.editedAt} lang={ui} />
                </>
              )}
            </dd>
          </>
        )}
        {campaign.closedAt && (
          <>
            <dt>{t(ui, "public.field.closed")}</dt>
            <dd>
              <When date={campaign.closedAt} lang={ui} />
            </dd>
          </>
        )}
        {campaign.hashtags.length > 0 && (
          <>
            <dt>{t(ui, "public.field.hashtags")}</dt>
            <dd>
              {campaign.hashtags.map((h, i) => (
                <>
                  {i > 0 && " "}
                  <a href={`/tags/${encodeURIComponent(h)}`} rel="tag">
                    #{h}
                  </a>
                </>
              ))}
            </dd>
          </>
        )}
      </dl>
      <GoalProgress id="goal-progress" participants={tally.participants} goal={campaign.goal} lang={ui} />

      {campaign.status === "closed" && campaign.outcome && (
        <section aria-labelledby="outcome">
          <h2 id="outcome">{t(ui, "public.outcome")}</h2>
          <p class="text" lang={lang}>
            {campaign.outcome}
          </p>
        </section>
      )}

      {campaign.descriptionHtml.trim() !== "" && (
        <section aria-labelledby="about">
          <h2 id="about">{t(ui, "public.about")}</h2>
          {/* sanitized once, on write (renderMarkdown), like the updates' HTML: the only markup this page embeds */}
          <div class="rich" lang={lang}>
            {raw(campaign.descriptionHtml)}
          </div>
        </section>
      )}

      <section aria-labelledby="steps">
        <h2 id="steps">{t(ui, "public.steps")}</h2>
        <ol lang={lang}>
          {tally.steps.map((step) => (
            <li>
              {step.text}{" "}
              <span class="meta" lang={ui}>
                ({t(ui, "public.people", { count: step.participants })})
              </span>
            </li>
          ))}
        </ol>
      </section>

      {campaign.status === "open" && <JoinSection url={props.url} handle={props.followHandle} lang={ui} />}

      <section aria-labelledby="updates">
        <h2 id="updates">{t(ui, "public.updates")}</h2>
        {props.updates.length === 0 ? (
          <p>{t(ui, "public.noUpdate")}</p>
        ) : (
          props.updates.map((u) => (
            <article class="card">
              <p class="meta">
                <When date={u.publishedAt} lang={ui} />
              </p>
              <div class="rich" lang={lang}>
                {raw(u.contentHtml)}
              </div>
            </article>
          ))
        )}
      </section>

      <section aria-labelledby="replies">
        <h2 id="replies">{t(ui, "public.replies")}</h2>
        {props.replies.length === 0 ? (
          <p>{t(ui, "public.noReply")}</p>
        ) : (
          props.replies.map((r) => (
            <article class="card">
              <p class="meta">
                <ReplyAuthor reply={r} lang={ui} />, <When date={r.published} lang={ui} />
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

export function CampaignGonePage(props: { community: Community; lang: Lang }) {
  const { lang } = props;
  return (
    <Layout title={t(lang, "public.gone.title")} lang={lang}>
      <h1>{t(lang, "public.gone.heading")}</h1>
      <p>
        {t(lang, "public.gone.body")} <a href={`/communities/${props.community.handle}`}>{props.community.name}</a>.
      </p>
    </Layout>
  );
}
