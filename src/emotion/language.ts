/**
 * The languages the model has its own measured error rates for, recognised from a note's
 * language tag (BCP 47: "fr", "fr-CA", "en_GB"). One pattern per language, written so that
 * JavaScript (RegExp) and PostgreSQL (~*, the SQL rollup rebuild) read it alike.
 */
export const RATE_LANGUAGE_PATTERNS = {
  en: "^en([-_]|$)",
  fr: "^fr([-_]|$)",
} as const;

export type RateLanguage = keyof typeof RATE_LANGUAGE_PATTERNS;

export const RATE_LANGUAGES = Object.keys(RATE_LANGUAGE_PATTERNS) as RateLanguage[];

const compiled = RATE_LANGUAGES.map((l) => [l, new RegExp(RATE_LANGUAGE_PATTERNS[l], "i")] as const);

/** The rate language of a tag; null for a missing tag or another language. */
export function rateLanguageOf(tag: string | null | undefined): RateLanguage | null {
  if (!tag) return null;
  for (const [l, re] of compiled) if (re.test(tag)) return l;
  return null;
}
