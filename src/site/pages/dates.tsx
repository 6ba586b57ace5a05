import type { Lang } from "../../i18n";

// Instants are stored in UTC. The server writes them in UTC with the zone named, in the reader's
// language; /assets/site.js rewrites each <time data-local> into the browser's own zone, named too.
const locales: Record<Lang, string> = { en: "en-GB", fr: "fr-FR" };
const instantFormats = Object.fromEntries(
  Object.entries(locales).map(([lang, locale]) => [
    lang,
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
  ]),
) as Record<Lang, Intl.DateTimeFormat>;
const dayFormats = Object.fromEntries(
  Object.entries(locales).map(([lang, locale]) => [
    lang,
    new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }),
  ]),
) as Record<Lang, Intl.DateTimeFormat>;

const toDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

/** A calendar day in words, in the reader's language ("1 December 2026", "1 décembre 2026"); for prose. */
export function formatDay(lang: Lang, date: Date | string): string {
  const d = toDate(date);
  return Number.isNaN(d.getTime()) ? String(date) : dayFormats[lang].format(d);
}

/** An instant, e.g. "7 déc. 2026, 07:00 UTC", shown in the reader's own zone once the page script runs. */
export function When(props: { date: Date | string; lang: Lang }) {
  const d = toDate(props.date);
  if (Number.isNaN(d.getTime())) return <>{String(props.date)}</>;
  return (
    <time datetime={d.toISOString()} data-local="">
      {instantFormats[props.lang].format(d)} UTC
    </time>
  );
}

/** A day, e.g. "1 décembre 2026", machine-readable too. */
export function Day(props: { date: Date | string; lang: Lang }) {
  const d = toDate(props.date);
  if (Number.isNaN(d.getTime())) return <>{String(props.date)}</>;
  return <time datetime={d.toISOString().slice(0, 10)}>{formatDay(props.lang, d)}</time>;
}
