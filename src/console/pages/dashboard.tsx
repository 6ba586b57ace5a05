import { isPublicAudience } from "../../domain/audience";
import type { Community } from "../../domain/communities";
import { t } from "../../i18n";
import type { Dashboard } from "../data";
import { ConsoleLayout, type Chrome } from "./layout";
import { formatDate, Progress, Status, StepCounts } from "./parts";
import { ReplyAuthor } from "../../pages/reply-author";

export function DashboardPage(props: { chrome: Chrome; community: Community; data: Dashboard; notice?: string }) {
  const { chrome, community, data } = props;
  const { lang } = chrome;
  const title = t(lang, "dashboard.title", { community: community.name });
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <h1>{title}</h1>
      <p>{t(lang, "dashboard.followers", { count: data.followers })}</p>
      <p>
        <a href={`/communities/${community.handle}`}>{t(lang, "dashboard.publicPage")}</a> ·{" "}
        <a href={`/communities/${community.handle}/reports`}>{t(lang, "dashboard.report")}</a>
      </p>
      <h2>{t(lang, "dashboard.campaigns")}</h2>
      <p>
        <a class="button" href="/console/campaigns/new">
          {t(lang, "nav.newCampaign")}
        </a>
      </p>
      {data.campaigns.length === 0 && <p>{t(lang, "dashboard.noCampaigns")}</p>}
      {data.campaigns.map(({ campaign, tally }) => (
        <section class="card" aria-labelledby={`c-${campaign.id}`}>
          <h3 id={`c-${campaign.id}`}>
            <a href={`/console/campaigns/${campaign.id}`}>{campaign.title}</a> <Status lang={lang} campaign={campaign} />
          </h3>
          <p class="meta">
            {t(lang, "campaign.dates", { start: formatDate(lang, campaign.startsAt), end: formatDate(lang, campaign.endsAt) })}
          </p>
          <Progress lang={lang} id={`p-${campaign.id}`} campaign={campaign} tally={tally} />
          <StepCounts lang={lang} tally={tally} />
        </section>
      ))}
      <h2>{t(lang, "dashboard.replies")}</h2>
      {data.replies.length === 0 && <p>{t(lang, "dashboard.noReplies")}</p>}
      {data.replies.map((r) => (
        <article class="card">
          <p class="meta">
            <ReplyAuthor reply={r} lang={lang} />{" "}
            · <time datetime={r.published.toISOString()}>{formatDate(lang, r.published)}</time>
            {!isPublicAudience(r.audience) && <> · <strong class="private">{t(lang, r.audience === "direct" ? "audience.direct" : "audience.followers")}</strong></>}
          </p>
          <p class="text">{r.text}</p>
        </article>
      ))}
    </ConsoleLayout>
  );
}
