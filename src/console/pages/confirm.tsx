import type { Campaign } from "../../domain/campaigns";
import type { Community } from "../../domain/communities";
import { t } from "../../i18n";
import type { CampaignFormValues } from "../form";
import { MastodonPreview } from "./campaign-form";
import { ConsoleLayout, type Chrome } from "./layout";
import { formatDate } from "./parts";

/**
 * Publishing and closing cannot be taken back (followers get the post at once), so each takes a
 * page of its own: what will be sent, when, and an explicit button. A campaign that starts later
 * can be scheduled for its start, or published now on purpose.
 */
export function PublishConfirmPage(props: {
  chrome: Chrome;
  community: Community;
  host: string;
  campaign: Campaign;
  values: CampaignFormValues;
  link: string;
  ended: boolean;
}) {
  const { chrome, campaign } = props;
  const { lang, csrf } = chrome;
  const title = t(lang, "confirm.publishTitle", { title: campaign.title });
  const later = campaign.startsAt.getTime() > Date.now();
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      {props.ended ? (
        <p class="alert" role="alert">
          {t(lang, "confirm.ended", { end: formatDate(chrome, campaign.endsAt) })}
        </p>
      ) : (
        <p>
          {t(lang, later ? "confirm.publishLater" : "confirm.publishNow", {
            start: formatDate(chrome, campaign.startsAt),
          })}
        </p>
      )}
      <MastodonPreview
        lang={lang}
        timeZone={chrome.timeZone}
        community={props.community}
        host={props.host}
        values={props.values}
        endsAt={campaign.endsAt}
        link={props.link}
      />
      <form method="post" action={`/console/campaigns/${campaign.id}/publish`} class="actions">
        <input type="hidden" name="csrf" value={csrf} />
        {!props.ended && later && (
          <button type="submit" name="intent" value="schedule">
            {t(lang, "confirm.schedule", { start: formatDate(chrome, campaign.startsAt) })}
          </button>
        )}
        {!props.ended && (
          <button type="submit" name="intent" value="now" class={later ? "secondary" : undefined}>
            {t(lang, "confirm.now")}
          </button>
        )}
        <a class="button secondary" href={`/console/campaigns/${campaign.id}${props.ended ? "/edit" : ""}`}>
          {t(lang, props.ended ? "campaign.edit" : "action.cancelBack")}
        </a>
      </form>
    </ConsoleLayout>
  );
}

export function CloseConfirmPage(props: { chrome: Chrome; campaign: Campaign; outcome: string }) {
  const { chrome, campaign } = props;
  const { lang, csrf } = chrome;
  const title = t(lang, "confirm.closeTitle", { title: campaign.title });
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <p>{t(lang, "confirm.closeBody")}</p>
      <blockquote class="card text">{props.outcome}</blockquote>
      <form method="post" action={`/console/campaigns/${campaign.id}/close`} class="actions">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="outcome" value={props.outcome} />
        <button type="submit" name="intent" value="confirm" class="danger">
          {t(lang, "confirm.closeYes")}
        </button>
        <a class="button secondary" href={`/console/campaigns/${campaign.id}`}>
          {t(lang, "action.cancelBack")}
        </a>
      </form>
    </ConsoleLayout>
  );
}
