import type { MiddlewareHandler } from "hono";
import type { Services } from "../services";
import { isWebUrl } from "../domain/authors";
import { listCampaigns } from "../domain/campaigns";
import { communityHandle, findCommunity, listCommunities, type Community } from "../domain/communities";
import type { SiteChrome } from "./pages/site-context";
import { readerLang } from "../http/reader-lang";

// The header lists the latest campaigns; the community page lists them all.
const NAV_CAMPAIGNS = 8;

/** `mailto:` for an address, the URL itself for a web page (config.ts allows nothing else). */
function contactLink(contact: string | undefined): SiteChrome["contact"] {
  if (!contact) return undefined;
  return isWebUrl(contact)
    ? { label: contact.replace(/^https?:\/\//i, ""), href: contact }
    : { label: contact, href: `mailto:${contact}` };
}

/**
 * Puts the public layout's chrome (SiteChrome) on every GET of a page: the community named in the
 * path, or the only community of a single-community instance, with its public campaigns. Needs
 * hono's contextStorage() before it, so the layout can read it while rendering.
 */
export function siteChrome(services: Services): MiddlewareHandler<{ Variables: { siteChrome: SiteChrome } }> {
  const { db, config } = services;
  const host = new URL(config.origin).host;
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const handle = /^\/communities\/([^/.]+)(?:\/|$)/.exec(c.req.path)?.[1];
    let community: Community | undefined;
    if (handle !== undefined) {
      community = communityHandle.safeParse(handle).success ? await findCommunity(db, handle) : undefined;
    } else {
      const all = await listCommunities(db);
      if (all.length === 1) community = all[0];
    }
    const campaigns = community ? (await listCampaigns(db, community.id)).slice(0, NAV_CAMPAIGNS) : [];
    const url = new URL(c.req.url);
    const chrome: SiteChrome = {
      lang: readerLang(c),
      path: url.pathname + url.search,
      host,
      community: community && { handle: community.handle, name: community.name },
      campaigns: campaigns.map((x) => ({ id: x.id, title: x.title, language: x.language })),
      contact: contactLink(config.contact),
      rulesUrl: config.rulesUrl,
    };
    c.set("siteChrome", chrome);
    return next();
  };
}
