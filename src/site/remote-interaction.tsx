import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { originContext, type Services } from "../services";
import { findCampaign, isLiveCampaignOf } from "../domain/campaigns";
import { findCommunity } from "../domain/communities";
import { interactionUrl, parseRemoteAccount, type RemoteAccount } from "../domain/remote-interaction";
import { t, type Lang } from "../i18n";
import { Layout } from "./pages/layout";
import { readerLang } from "../http/reader-lang";

const SUBSCRIBE = "http://ostatus.org/schema/1.0/subscribe";
const LOOKUP_TIMEOUT_MS = 5_000;
// Each lookup is a request this server makes to a host a visitor typed: bounded per process, and
// remembered for an hour, so the form cannot be used to make Ensemble hammer (or scan) servers.
const LOOKUPS_PER_MINUTE = 30;
const CACHE_MS = 3_600_000;
const CACHE_MAX = 1_000;

/**
 * `GET …/campaigns/:id/interact?server=…`: the campaign page's "take part from my server" form.
 * The typed server is checked (a host name, or a handle), asked through Fedify's WebFinger
 * client (which refuses private addresses unless ENSEMBLE_ALLOW_PRIVATE_ADDRESS) for its
 * interaction template, and the visitor is sent there. A request that does not come from our
 * own form (Sec-Fetch-Site) gets a page with the link instead of a redirect: this route must
 * not become an open redirect that another site can aim at anybody.
 */
export function remoteInteraction(federation: Federation<Services>, services: Services): Hono {
  const { db, config } = services;
  const app = new Hono();
  const budget = new RateLimiterMemory({ points: LOOKUPS_PER_MINUTE, duration: 60 });
  const cache = new Map<string, { template: string | undefined; until: number }>();
  /** The remembered template, or a fresh lookup while the budget lasts; over budget: none (Mastodon's URL). */
  async function templateFor(account: RemoteAccount, scheme: string): Promise<string | undefined> {
    const key = `${account.username ?? ""}@${account.host}`;
    const known = cache.get(key);
    if (known && known.until > Date.now()) return known.template;
    if (
      !(await budget.consume("lookup").then(
        () => true,
        () => false,
      ))
    )
      return undefined;
    const template = await subscribeTemplate(federation, services, account, scheme);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { template, until: Date.now() + CACHE_MS });
    return template;
  }
  app.get("/communities/:handle/campaigns/:id/interact", async (c) => {
    const lang = readerLang(c);
    const community = await findCommunity(db, c.req.param("handle"));
    const campaign = community && (await findCampaign(db, c.req.param("id")));
    if (!community || !campaign || !isLiveCampaignOf(community, campaign)) return c.notFound();
    const page = `/communities/${community.handle}/campaigns/${campaign.id}`;
    const objectUri = `${config.origin}${page}`;
    const account = parseRemoteAccount(c.req.query("server") ?? "", { allowPort: config.allowPrivateAddress });
    if (!account) return c.html(<InvalidServerPage lang={lang} back={page} />, 400);
    const scheme =
      config.allowPrivateAddress && /^(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$/.test(account.host) ? "http" : "https";
    const target = interactionUrl(account, objectUri, await templateFor(account, scheme), scheme);
    if (c.req.header("sec-fetch-site") === "same-origin") return c.redirect(target, 303);
    return c.html(<ContinuePage lang={lang} target={target} host={account.host} back={page} />);
  });
  return app;
}

/** The server's WebFinger `subscribe` template: for the typed account, or the instance actor Mastodon names after its domain. */
async function subscribeTemplate(
  federation: Federation<Services>,
  services: Services,
  account: RemoteAccount,
  scheme: string,
): Promise<string | undefined> {
  const ctx = originContext(federation, services);
  const name = account.username ?? account.host.split(":")[0];
  // acct: lookups always go over https; a loopback development server is asked over http by URL
  const resource = scheme === "https" ? `acct:${name}@${account.host}` : `${scheme}://${account.host}/@${name}`;
  try {
    const jrd = await ctx.lookupWebFinger(resource, {
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      maxRedirection: 2,
    });
    const template = jrd?.links?.find((l) => l.rel === SUBSCRIBE)?.template;
    return typeof template === "string" && template.length <= 2000 ? template : undefined;
  } catch {
    return undefined;
  }
}

function InvalidServerPage(props: { lang: Lang; back: string }) {
  const { lang } = props;
  return (
    <Layout title={t(lang, "site.join.invalid.title")} lang={lang}>
      <h1>{t(lang, "site.join.invalid.title")}</h1>
      <p>{t(lang, "site.join.invalid.body")}</p>
      <p>
        <a href={`${props.back}#join`}>{t(lang, "site.join.back")}</a>
      </p>
    </Layout>
  );
}

function ContinuePage(props: { lang: Lang; target: string; host: string; back: string }) {
  const { lang } = props;
  return (
    <Layout title={t(lang, "site.join.go")} lang={lang}>
      <h1>{t(lang, "site.join.go")}</h1>
      <p>
        <a href={props.target} rel="noopener noreferrer">
          {t(lang, "site.join.continue", { host: props.host })}
        </a>
      </p>
      <p>
        <a href={`${props.back}#join`}>{t(lang, "site.join.back")}</a>
      </p>
    </Layout>
  );
}
