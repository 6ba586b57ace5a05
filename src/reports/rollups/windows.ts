// Report windows. Keys are UTC calendar dates so they sort lexicographically and
// can be computed identically in SQL (date_trunc('day'|'week', published_at AT TIME ZONE 'UTC')):
// "day" → the day, "week" → the ISO week's Monday, "campaign" → one window, "all".

export type WindowSpec = "day" | "week" | "campaign";

export const CAMPAIGN_WINDOW = "all";

const DAY_MS = 86_400_000;

/**
 * How far before its receipt a note's `published` may lie (delivery delays, clock skew): notes
 * are stored with `published` clamped to [received − skew, received], so a window is final, and
 * released, once it ended this long ago.
 */
export const PUBLISHED_SKEW_MS = 10 * 60_000;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function windowKey(at: Date, spec: WindowSpec): string {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new Error("publishedAt is not a valid date");
  if (spec === "campaign") return CAMPAIGN_WINDOW;
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  if (spec === "day") return isoDate(day);
  const mondayOffset = (new Date(day).getUTCDay() + 6) % 7;
  return isoDate(day - mondayOffset * DAY_MS);
}

/** Half-open [start, end) in ISO 8601, or nulls for the campaign window (its range is the caller's filter). */
export function windowBounds(key: string, spec: WindowSpec): { start: string | null; end: string | null } {
  if (spec === "campaign") return { start: null, end: null };
  const start = Date.parse(`${key}T00:00:00.000Z`);
  const days = spec === "day" ? 1 : 7;
  return { start: new Date(start).toISOString(), end: new Date(start + days * DAY_MS).toISOString() };
}

/** Keys of the `count` weeks immediately before week `key`, most recent first. */
export function weeksBefore(key: string, count: number): string[] {
  const start = Date.parse(`${key}T00:00:00.000Z`);
  return Array.from({ length: count }, (_, i) => isoDate(start - (i + 1) * 7 * DAY_MS));
}
