import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { pickLang, type Lang } from "../i18n";

// The reader's choice, made with the language switch of any page (public or console).
const COOKIE = "lang";

/** The reader's language (the `lang` cookie, then Accept-Language); caches must key on both. */
export function readerLang(c: Context): Lang {
  c.header("Vary", "Accept-Language, Cookie");
  return pickLang(getCookie(c, COOKIE), c.req.header("accept-language"));
}

/** Remembers the reader's choice for a year, on the whole site. */
export function rememberReaderLang(c: Context, lang: Lang): void {
  setCookie(c, COOKIE, lang, { path: "/", sameSite: "Lax", maxAge: 365 * 86_400 });
}
