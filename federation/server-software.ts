import type { Context } from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/fedify/runtime";
import { getLogger } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";
import { DrizzleKvStore } from "../src/db/kv";
import type { Services } from "../src/services";

const logger = getLogger(["ensemble", "nodeinfo"]);

/** How a server shows a campaign: as a poll (Mastodon, Misskey, Pleroma/Akkoma, GoToSocial…) or as an event. */
export type CampaignForm = "poll" | "event";

/**
 * Software whose timeline is made of events, not posts: Mobilizon's inbox drops a `Create` of
 * a `Question` (`{:error, :not_supported}` in its transmogrifier) and it joins only Events and
 * Groups. Gancio only knows events.
 */
const EVENT_FIRST = new Set(["mobilizon", "gancio"]);

const NODEINFO_SCHEMA = /^https?:\/\/nodeinfo\.diaspora\.software\/ns\/schema\/2\.[01]$/;
const TIME_LIMIT_MS = 5_000;
/** How often a server's NodeInfo is asked again, at most. */
const KNOWN_FOR = Temporal.Duration.from({ hours: 24 });
/** An unreachable server is asked again sooner than a known one. */
const UNKNOWN_FOR = Temporal.Duration.from({ hours: 1 });

async function fetchJson(
  ctx: Context<Services>,
  url: URL,
  signal: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  // Fedify's own fetcher with the federation's rule on private addresses; unsigned, since
  // NodeInfo is public (a signed GET would make servers retry signature schemes for nothing)
  const loader = getDocumentLoader({
    allowPrivateAddress: ctx.data.config.allowPrivateAddress,
    userAgent: { software: "Ensemble" },
  });
  const { document } = await loader(url.href, { signal });
  return document && typeof document === "object" && !Array.isArray(document)
    ? (document as Record<string, unknown>)
    : undefined;
}

async function discover(ctx: Context<Services>, origin: string): Promise<string | null> {
  const signal = AbortSignal.timeout(TIME_LIMIT_MS);
  const wellKnown = await fetchJson(ctx, new URL("/.well-known/nodeinfo", origin), signal);
  const links = Array.isArray(wellKnown?.links) ? (wellKnown.links as Array<Record<string, unknown>>) : [];
  const link = links.find(
    (l) => typeof l.rel === "string" && NODEINFO_SCHEMA.test(l.rel) && typeof l.href === "string",
  );
  if (!link) return null;
  const href = new URL(link.href as string);
  // a server describes itself only: a link to another host is not its word
  if (href.origin !== origin) return null;
  const info = await fetchJson(ctx, href, signal);
  const name = (info?.software as Record<string, unknown> | undefined)?.name;
  return typeof name === "string" && /^[a-z0-9._-]{1,100}$/i.test(name) ? name.toLowerCase() : null;
}

interface Known {
  name: string | null;
  checkedAt: number;
}

const cacheKey = (origin: string) => ["ensemble", "software", origin] as const;

/**
 * Learns a server's software name from its NodeInfo (lowercase, e.g. `mastodon`, `mobilizon`;
 * null when it publishes none or does not answer within 5 s). Called when the server reaches
 * us (a Follow, a vote, a Join), so that a server is only asked while it is demonstrably up,
 * and at most once a day; deliveries read what was learnt and never knock first (a dead
 * server is not asked anything beyond its deliveries). A known name is kept until relearnt;
 * an unknown one is forgotten after an hour.
 */
export async function learnServerSoftware(ctx: Context<Services>, origin: string): Promise<void> {
  const kv = new DrizzleKvStore(ctx.data.db);
  const cached = await kv.get<Known>(cacheKey(origin));
  if (cached && Date.now() - cached.checkedAt < KNOWN_FOR.total("millisecond")) return;
  let name: string | null = null;
  try {
    name = await discover(ctx, origin);
  } catch (error) {
    logger.info("No NodeInfo from {origin}: {error}", { origin, error: String(error) });
  }
  // a server that was known and does not answer now keeps its name
  if (!name && cached?.name) name = cached.name;
  await kv.set(
    cacheKey(origin),
    { name, checkedAt: Date.now() } satisfies Known,
    name ? undefined : { ttl: UNKNOWN_FOR },
  );
}

/** What form of a campaign a server understands; anything not known to be event-first gets the poll. */
export async function campaignFormFor(ctx: Context<Services>, origin: string): Promise<CampaignForm> {
  const known = await new DrizzleKvStore(ctx.data.db).get<Known>(cacheKey(origin));
  return known?.name && EVENT_FIRST.has(known.name) ? "event" : "poll";
}
