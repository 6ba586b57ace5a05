import type { z, ZodError } from "zod";
import type { Campaign, CampaignStep } from "../domain/campaigns";
import { Temporal } from "@js-temporal/polyfill";
import type { MessageKey } from "../i18n";
import { validZone } from "./env";

/** What the campaign form holds, as the browser sends it (strings), so it can be shown again as typed. */
export interface CampaignFormValues {
  title: string;
  description: string;
  steps: string[];
  startsAt: string;
  endsAt: string;
  goal: string;
  language: string;
  hashtags: string;
  /** The zone the dates were typed in (the form says it, and sends it back with them). */
  timeZone: string;
}

/** Field name (`steps.2` for one step) → message key, shown next to that field. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

export const MAX_STEPS = 6;

type Body = Record<string, string | File | (string | File)[]>;
const text = (v: Body[string] | undefined) => (typeof v === "string" ? v : "");

/** `zone`: the steward's zone now; the one the form was shown in wins, so a date means what was read. */
export function formValues(body: Body, zone = "UTC"): CampaignFormValues {
  const steps = ([] as unknown[]).concat(body.steps ?? []).map((s) => (typeof s === "string" ? s : ""));
  return {
    title: text(body.title),
    description: text(body.description),
    steps,
    startsAt: text(body.startsAt),
    endsAt: text(body.endsAt),
    goal: text(body.goal),
    language: text(body.language),
    hashtags: text(body.hashtags),
    timeZone: validZone(body.timeZone) ?? zone,
  };
}

// <input type="datetime-local"> has no zone: its wall-clock time is read in the steward's zone
// (named next to the field), so an animator in Rouen types Rouen's time.
const instantOf = (local: string, zone: string) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return local; // zod says what is wrong
  return Temporal.PlainDateTime.from(local)
    .toZonedDateTime(zone, { disambiguation: "compatible" })
    .toInstant()
    .toString();
};
const localInput = (date: Date, zone: string) =>
  Temporal.Instant.fromEpochMilliseconds(date.getTime())
    .toZonedDateTimeISO(zone)
    .toPlainDateTime()
    .toString({ smallestUnit: "minute" });

/** Post languages offered as a list (BCP 47 tags); a campaign's other tag stays selectable. */
export const POST_LANGUAGES = ["fr", "en", "br", "ca", "de", "es", "eu", "it", "nl", "oc", "pt"] as const;

/**
 * The form as input for the domain's own zod schemas (newCampaign / campaignPatch), so the
 * console validates exactly as the API does. Empty step boxes are dropped; an empty goal is none.
 */
export function toCampaignInput(v: CampaignFormValues, withSteps: boolean) {
  const goal = v.goal.trim() === "" ? null : Number(v.goal);
  return {
    title: v.title,
    description: v.description,
    ...(withSteps ? { steps: v.steps.filter((s) => s.trim() !== "") } : {}),
    startsAt: v.startsAt ? instantOf(v.startsAt, v.timeZone) : undefined,
    endsAt: v.endsAt ? instantOf(v.endsAt, v.timeZone) : undefined,
    goal,
    language: v.language.trim(),
    hashtags: v.hashtags.split(/[\s,]+/).filter(Boolean),
  };
}

export function valuesOf(campaign: Campaign, steps: CampaignStep[], zone: string): CampaignFormValues {
  return {
    title: campaign.title,
    description: campaign.description,
    steps: steps.map((s) => s.text),
    startsAt: localInput(campaign.startsAt, zone),
    endsAt: localInput(campaign.endsAt, zone),
    goal: campaign.goal === null ? "" : String(campaign.goal),
    language: campaign.language,
    hashtags: campaign.hashtags.map((h) => `#${h}`).join(" "),
    timeZone: zone,
  };
}

export function emptyValues(language: string, zone: string): CampaignFormValues {
  // starts now (to the minute), so that a campaign published at once is open at once
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  return {
    title: "",
    description: "",
    steps: [],
    startsAt: localInput(start, zone),
    endsAt: localInput(new Date(start.getTime() + 14 * 86_400_000), zone),
    goal: "",
    language,
    hashtags: "",
    timeZone: zone,
  };
}

// The domain's messages are English sentences; these name the catalogue entry to show instead.
const byMessage: Record<string, MessageKey> = {
  "a step cannot be empty": "error.stepEmpty",
  "a step is at most 50 characters (a Mastodon poll option)": "error.stepTooLong",
  "two steps cannot have the same text": "error.stepsDuplicate",
  "the end must come after the start": "error.endsBeforeStart",
};
const byField: Record<string, MessageKey> = {
  title: "error.title",
  description: "error.description",
  steps: "error.steps",
  startsAt: "error.startsAt",
  endsAt: "error.endsAt",
  language: "error.language",
  hashtags: "error.hashtags",
  goal: "error.goal",
  content: "error.content",
  outcome: "error.outcome",
};

/** One message per field, the first zod gives; a step's own problem stays on that step's box. */
export function fieldErrors(error: ZodError | z.core.$ZodError, stepIndex?: (sent: number) => number): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const [head, index] = issue.path;
    const field =
      head === "steps" && typeof index === "number"
        ? `steps.${stepIndex ? stepIndex(index) : index}`
        : String(head ?? "title");
    errors[field] ??= byMessage[issue.message] ?? byField[String(head)] ?? "error.title";
  }
  return errors;
}

/** Empty boxes are dropped before validation: this maps a validated step back to its box. */
export function stepBox(v: CampaignFormValues): (sent: number) => number {
  const boxes = v.steps.flatMap((s, i) => (s.trim() !== "" ? [i] : []));
  return (sent) => boxes[sent] ?? sent;
}
