import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { Campaign } from "../domain/campaigns";
import { t, type Lang, type MessageKey } from "../i18n";
import type { Chrome } from "./pages/layout";
import type { Session } from "./session";

export interface ConsoleEnv {
  Variables: { lang: Lang; session: Session; campaign: Campaign };
}

export type ConsoleContext = Context<ConsoleEnv>;

export const TZ_COOKIE = "tz";

/** An IANA zone this runtime knows, else undefined: a cookie or a form field is the visitor's to forge. */
export function validZone(zone: unknown): string | undefined {
  if (typeof zone !== "string" || zone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The steward's zone: the browser's, which /assets/console.js (src/assets) remembers in a cookie; UTC until then. */
export const timeZoneOf = (c: Context) => validZone(getCookie(c, TZ_COOKIE)) ?? "UTC";

export const chromeOf = (c: ConsoleContext): Chrome => {
  const session = c.get("session") as Session | undefined;
  return { lang: c.get("lang"), timeZone: timeZoneOf(c), csrf: session?.csrf, path: c.req.path };
};

/** A form field as a string ("" when absent or a file). */
export const textField = (body: Record<string, unknown>, name: string) =>
  typeof body[name] === "string" ? (body[name] as string) : "";

/** A notice named in the query after a redirect (post/redirect/get): only known keys are shown. */
export function noticeOf(c: ConsoleContext, notices: Record<string, MessageKey>): string | undefined {
  const key = notices[c.req.query("done") ?? ""];
  return key && t(c.get("lang"), key);
}
