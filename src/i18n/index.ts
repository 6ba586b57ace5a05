import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export type { MessageKey } from "./en";

const catalogues = { en, fr } as const;
export type Lang = keyof typeof catalogues;
export const languages = Object.keys(catalogues) as Lang[];

export const isLang = (value: unknown): value is Lang => typeof value === "string" && value in catalogues;

// French uses the singular for 0 and 1, English for 1 only.
const singular = (lang: Lang, n: number) => (lang === "fr" ? n < 2 : n === 1);

/**
 * A message in the given language, `{name}` placeholders filled from params; a numeric
 * `count` picks the key's `.one` variant where the language reads it as singular.
 */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const one = `${key}.one`;
  const chosen =
    typeof params.count === "number" && singular(lang, params.count) && one in catalogues[lang]
      ? (one as MessageKey)
      : key;
  return catalogues[lang][chosen].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * The reader's language: an explicit choice (the `lang` cookie) wins, then the browser's
 * Accept-Language in its order of preference (q-values honoured), then English.
 */
export function pickLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookie)) return cookie;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...rest] = part.trim().split(";");
      const q = Number(/q=([\d.]+)/.exec(rest.join(";"))?.[1] ?? 1);
      return { base: tag.toLowerCase().split("-")[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((x) => x.base).find(isLang) ?? "en";
}
