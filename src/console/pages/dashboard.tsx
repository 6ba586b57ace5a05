import { isPublicAudience } from "../../domain/audience";
import type { Community } from "../../domain/communities";
import { t } from "../../i18n";
import type { Dashboard } from "../data";
import { ConsoleLayout, Notices, type Chrome } from "./layout";
import { formatDate, Progress, Status, StepCounts } from "./parts";
import { ReplyAuthor } from "../../ui";

export function DashboardPage(props: {
  chrome: Chrome;
  community: Community;
  host: string;
  data: Dashboard;
  notice?: string;
}) {
  const { chrome, community, data } = props;
  const { lang } = chrome;
  // what followers search for in Mastodon to find the community
  const handle = `@${community.handle}@${props.host}`;
  // replies grouped under the campaign they answer, in the order of the latest reply
  const titles = new Map(data.campaigns.map(({ campaign }) => [campaign.id, campaign.title]));
  const groups: Array<{ title: string; replies: Dashboard["replies"] }> = [];
  for (const r of data.replies) {
    const title = (r.campaignId && titles.get(r.campaignId)) || t(lang, "dashboard.otherReplies");
    const group =
      groups.find((g) => g.title === title) ?? (groups.push({ title, replies: [] }), groups[groups.length - 1]);
    group.replies.push(r);
  }
  const title = t(lang, "dashboard.title", { community: community.name });
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <Notices notice={props.notice} />
      <h1>{title}</h1>
      <p>
        {t(lang, "dashboard.handle")} <strong id="handle">{handle}</strong>{" "}
        <button type="button" class="secondary" data-copy="handle" data-copied={t(lang, "copy.done")} hidden>
          {t(lang, "copy.button")}
        </button>
      </p>
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
            <a href={`/console/campaigns/${campaign.id}`}>{campaign.title}</a>{" "}
            <Status lang={lang} campaign={campaign} />
          </h3>
          <p class="meta">
            {t(lang, "campaign.dates", {
              start: formatDate(chrome, campaign.startsAt),
              end: formatDate(chrome, campaign.endsAt),
            })}
          </p>
          <Progress lang={lang} id={`p-${campaign.id}`} campaign={campaign} tally={tally} />
          <StepCounts lang={lang} tally={tally} />
        </section>
      ))}
      <h2>{t(lang, "dashboard.replies")}</h2>
      {data.replies.length === 0 && <p>{t(lang, "dashboard.noReplies")}</p>}
      {groups.map(({ title, replies }) => (
        <section aria-label={title}>
          <h3>{title}</h3>
          {replies.map((r) => (
            <article class="card">
              <p class="meta">
                <ReplyAuthor reply={r} lang={lang} /> ·{" "}
                <time datetime={r.published.toISOString()}>{formatDate(chrome, r.published)}</time>
                {!isPublicAudience(r.audience) && (
                  <>
                    {" "}
                    ·{" "}
                    <strong class="private">
                      {t(lang, r.audience === "direct" ? "audience.direct" : "audience.followers")}
                    </strong>
                  </>
                )}
              </p>
              <p class="text">{r.text}</p>
              <p>
                <a href={`/console/moderation/hide?note=${encodeURIComponent(r.iri)}`}>{t(lang, "dashboard.hide")}</a>
              </p>
            </article>
          ))}
        </section>
      ))}
    </ConsoleLayout>
  );
}
