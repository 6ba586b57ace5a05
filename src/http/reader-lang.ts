import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { pickLang, type Lang } from "../i18n";

/** The reader's language (the console's `lang` cookie, then Accept-Language); caches must key on both. */
export function readerLang(c: Context): Lang {
  c.header("Vary", "Accept-Language, Cookie");
  return pickLang(getCookie(c, "lang"), c.req.header("accept-language"));
}
