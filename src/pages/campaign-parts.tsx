import type { Campaign } from "../domain/campaigns";

// One unambiguous format for every reader: dates are stored as instants, shown in UTC.
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function When(props: { date: Date }) {
  return <time datetime={props.date.toISOString()}>{dateFormat.format(props.date)} UTC</time>;
}

/** What a reader needs to know: an open campaign past its end no longer counts participants. */
export function statusLabel(campaign: Campaign, now = new Date()): string {
  if (campaign.status === "closed") return "Closed";
  if (now < campaign.startsAt) return "Upcoming";
  if (now > campaign.endsAt) return "Ended";
  return "Open";
}

export function CampaignDates(props: { campaign: Campaign }) {
  return (
    <>
      <When date={props.campaign.startsAt} /> to <When date={props.campaign.endsAt} />
    </>
  );
}

const people = (n: number) => `${n} ${n === 1 ? "participant" : "participants"}`;

/** A `<progress>` whose label carries the same figures as text, for screen readers and for eyes. */
export function GoalProgress(props: { id: string; participants: number; goal: number | null }) {
  const { participants, goal } = props;
  if (!goal) return <p>{people(participants)}</p>;
  const percent = Math.min(100, Math.floor((participants / goal) * 100));
  return (
    <p class="progress">
      <label for={props.id}>
        {people(participants)} of a goal of {goal} ({percent}%)
      </label>
      <progress id={props.id} max={goal} value={Math.min(participants, goal)}>
        {percent}%
      </progress>
    </p>
  );
}
