import { tryGetContext } from "hono/context-storage";
import type { Lang } from "../../i18n";

/** A campaign as the header lists it: public campaigns only (never drafts or deleted ones). */
export interface NavCampaign {
  id: string;
  title: string;
  language: string;
}

/**
 * What the shared public layout needs to draw the header and footer of any public page: the
 * reader's language, the community the page belongs to (if any) and its campaigns, and the
 * instance's contact and rules. Set once per request by `siteChrome` (src/site/chrome.ts), so a
 * page body only has to use the layout to get the navigation.
 */
export interface SiteChrome {
  lang: Lang;
  /** The requested path and query, where the language switch brings the reader back. */
  path: string;
  host: string;
  community?: { handle: string; name: string };
  campaigns: NavCampaign[];
  contact?: { label: string; href: string };
  rulesUrl?: string;
}

/** The chrome of the current request; undefined outside a request (pages rendered in a unit test). */
export function currentChrome(): SiteChrome | undefined {
  return tryGetContext<{ Variables: { siteChrome?: SiteChrome } }>()?.var.siteChrome;
}
