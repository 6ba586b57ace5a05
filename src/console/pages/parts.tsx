import type { Campaign, Tally } from "../../domain/campaigns";
import { t, type Lang, type MessageKey } from "../../i18n";

/** How dates are shown: the reader's language, and the steward's time zone, always named. */
export interface DateStyle {
  lang: Lang;
  timeZone: string;
}

export const formatDate = (style: DateStyle, date: Date) =>
  `${new Intl.DateTimeFormat(style.lang === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: style.timeZone,
  }).format(date)} (${zoneName(style)})`;

/** "Europe/Paris" as the reader reads it: the zone's own name, which the forms also say. */
export const zoneName = (style: DateStyle) => style.timeZone.replace(/_/g, " ");

export function statusKey(campaign: Campaign, now = new Date()) {
  if (campaign.status === "draft") return "status.draft" as const;
  if (campaign.status === "closed") return "status.closed" as const;
  if (now < campaign.startsAt) return "status.upcoming" as const;
  return now > campaign.endsAt ? ("status.ended" as const) : ("status.open" as const);
}

export function Status(props: { lang: Lang; campaign: Campaign }) {
  return <span class="badge">{t(props.lang, statusKey(props.campaign))}</span>;
}

/** Progress toward the goal, with the figures as text too (screen readers, and eyes). */
export function Progress(props: { lang: Lang; id: string; campaign: Campaign; tally: Tally }) {
  const { lang, campaign, tally } = props;
  const count = tally.participants;
  if (!campaign.goal) return <p>{t(lang, "campaign.participants", { count })}</p>;
  const percent = Math.min(100, Math.floor((count / campaign.goal) * 100));
  return (
    <p class="progress">
      <label for={props.id}>{t(lang, "campaign.progress", { count, goal: campaign.goal, percent })}</label>
      <progress id={props.id} max={campaign.goal} value={Math.min(count, campaign.goal)}>
        {percent}%
      </progress>
    </p>
  );
}

export function StepCounts(props: { lang: Lang; tally: Tally }) {
  return (
    <ol class="steps">
      {props.tally.steps.map((s) => (
        <li>
          {s.text} — <strong>{t(props.lang, "campaign.stepCount", { count: s.participants })}</strong>
        </li>
      ))}
    </ol>
  );
}

/** A form's one submit button; `danger` for what cannot be undone. */
export function SubmitButton(props: { lang: Lang; label: MessageKey; danger?: boolean }) {
  return (
    <div class="actions">
      <button type="submit" class={props.danger ? "danger" : undefined}>
        {t(props.lang, props.label)}
      </button>
    </div>
  );
}
