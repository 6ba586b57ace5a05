import type { Campaign } from "../../domain/campaigns";
import { t, type Lang } from "../../i18n";
import { When } from "./dates";

/** What a reader needs to know: an open campaign past its end no longer counts participants. */
export function statusLabel(campaign: Campaign, lang: Lang, now = new Date()): string {
  if (campaign.status === "closed") return t(lang, "public.status.closed");
  if (now < campaign.startsAt) return t(lang, "public.status.upcoming");
  if (now > campaign.endsAt) return t(lang, "public.status.ended");
  return t(lang, "public.status.open");
}

export function CampaignDates(props: { campaign: Campaign; lang: Lang }) {
  const from = t(props.lang, "public.dates.from");
  return (
    <>
      {from && `${from} `}
      <When date={props.campaign.startsAt} lang={props.lang} /> {t(props.lang, "public.dates.to")}{" "}
      <When date={props.campaign.endsAt} lang={props.lang} />
    </>
  );
}

/** A `<progress>` whose label carries the same figures as text, for screen readers and for eyes. */
export function GoalProgress(props: { id: string; participants: number; goal: number | null; lang: Lang }) {
  const { participants, goal, lang } = props;
  const people = t(lang, "public.participants", { count: participants });
  if (!goal) return <p>{people}</p>;
  const percent = Math.min(100, Math.floor((participants / goal) * 100));
  return (
    <p class="progress">
      <label for={props.id}>{t(lang, "public.goal", { people, goal, percent })}</label>
      <progress id={props.id} max={goal} value={Math.min(participants, goal)}>
        {percent}%
      </progress>
    </p>
  );
}
