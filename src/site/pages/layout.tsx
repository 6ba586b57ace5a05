import type { Child } from "hono/jsx";
import { NavLink, PageShell } from "../../ui";
import { isLang, t, type Lang, type MessageKey } from "../../i18n";
import { currentChrome, type SiteChrome } from "./site-context";

/**
 * The public site's layout: the one page shell (src/ui/layout.tsx) with a navigation that
 * leads to every public page of the community (its campaigns, reports, governance, moderation
 * log) and of the instance (methodology, public record), and a footer with the instance's
 * contact and rules. The chrome comes from the request (src/site/chrome.ts); rendered outside a
 * request, a page gets a bare header.
 */
export function Layout(props: { title: string; children: Child; lang?: string }) {
  const chrome = currentChrome();
  const lang: Lang = isLang(props.lang) ? props.lang : (chrome?.lang ?? "en");
  return (
    <PageShell
      lang={lang}
      title={`${props.title} · Ensemble`}
      brand={
        <a class="brand" href="/">
          Ensemble{chrome && <span class="host"> · {chrome.host}</span>}
        </a>
      }
      langBack={chrome?.path}
      nav={<SiteNav chrome={chrome} lang={lang} />}
      navLabel={t(lang, "site.nav.label")}
      footer={chrome && <SiteFooter chrome={chrome} lang={lang} />}
    >
      {props.children}
    </PageShell>
  );
}

// A community's evidence pages, in the menu's order, after its campaigns.
const communityPages: Array<[string, MessageKey]> = [
  ["reports", "site.nav.reports"],
  ["governance", "site.nav.governance"],
  ["moderation", "site.nav.moderation"],
];

function SiteNav(props: { chrome: SiteChrome | undefined; lang: Lang }) {
  const { chrome, lang } = props;
  const c = chrome?.community;
  const base = c && `/communities/${c.handle}`;
  const path = chrome?.path;
  return (
    <>
      {c && base && (
        <>
          <NavLink href={base} current={path}>
            {c.name}
          </NavLink>
          <li>
            <details class="menu">
              <summary>{t(lang, "site.nav.campaigns")}</summary>
              <ul>
                {chrome.campaigns.map((x) => (
                  <NavLink href={`${base}/campaigns/${x.id}`} current={path}>
                    <span lang={x.language}>{x.title}</span>
                  </NavLink>
                ))}
                <li>
                  <a href={`${base}#campaigns`}>{t(lang, "site.nav.allCampaigns")}</a>
                </li>
              </ul>
            </details>
          </li>
          {communityPages.map(([page, key]) => (
            <NavLink href={`${base}/${page}`} current={path}>
              {t(lang, key)}
            </NavLink>
          ))}
        </>
      )}
      <NavLink href="/methodology" current={path}>
        {t(lang, "site.nav.methodology")}
      </NavLink>
      <NavLink href="/transparency" current={path}>
        {t(lang, "site.nav.record")}
      </NavLink>
    </>
  );
}

function SiteFooter(props: { chrome: SiteChrome; lang: Lang }) {
  const { chrome, lang } = props;
  const rules = chrome.rulesUrl ?? (chrome.community && `/communities/${chrome.community.handle}/governance`);
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: ARIA allows naming the contentinfo landmark; screen readers announce it
    <footer class="site" aria-label={t(lang, "site.footer.label")}>
      <ul>
        {chrome.contact && (
          <li>
            {t(lang, "site.footer.contact")} <a href={chrome.contact.href}>{chrome.contact.label}</a>
          </li>
        )}
        {rules && (
          <li>
            <a href={rules}>{t(lang, "site.footer.rules")}</a>
          </li>
        )}
        <li>
          <a href="/">{t(lang, "site.nav.home")}</a>
        </li>
      </ul>
      <p>{t(lang, "site.footer.software")}</p>
    </footer>
  );
}
