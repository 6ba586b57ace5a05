import type { Child } from "hono/jsx";
import { assetHref } from "../../assets";
import { isLang, languages, t, type Lang } from "../../i18n";
import { currentChrome, type SiteChrome } from "./site-context";

// Styles and the one small script are static files (src/assets, served under /assets/):
// under a strict Content-Security-Policy no page carries inline style or script.
const languageNames: Record<Lang, string> = { en: "English", fr: "Français" };

/**
 * The one public layout: a header that leads to every public page of the community (its
 * campaigns, reports, governance, moderation log) and of the instance (methodology, public
 * record), a language switch, and a footer with the instance's contact and rules. The chrome
 * comes from the request (src/site/chrome.ts); rendered outside a request, a page gets a bare header.
 */
export function Layout(props: { title: string; children: Child; lang?: string }) {
  const chrome = currentChrome();
  const lang: Lang = isLang(props.lang) ? props.lang : (chrome?.lang ?? "en");
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Ensemble</title>
        <link rel="stylesheet" href={assetHref("site.css")} />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <script src={assetHref("site.js")} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {t(lang, "site.skip")}
        </a>
        <SiteHeader chrome={chrome} lang={lang} />
        <main id="main">{props.children}</main>
        {chrome && <SiteFooter chrome={chrome} lang={lang} />}
      </body>
    </html>
  );
}

function NavLink(props: { href: string; current: string | undefined; children: Child }) {
  const here = props.current?.split(/[?#]/)[0] === props.href;
  return (
    <li>
      <a href={props.href} aria-current={here ? "page" : undefined}>
        {props.children}
      </a>
    </li>
  );
}

function SiteHeader(props: { chrome: SiteChrome | undefined; lang: Lang }) {
  const { chrome, lang } = props;
  const c = chrome?.community;
  const base = c && `/communities/${c.handle}`;
  const path = chrome?.path;
  return (
    <header class="site">
      <div class="bar">
        <a class="brand" href="/">
          Ensemble{chrome && <span class="host"> · {chrome.host}</span>}
        </a>
        {chrome && (
          <nav class="lang" aria-label={t(lang, "site.lang.label")}>
            <ul>
              {languages.map((l) => (
                <li>
                  <a
                    href={`/console/lang/${l}?back=${encodeURIComponent(chrome.path)}`}
                    lang={l}
                    hreflang={l}
                    aria-current={l === lang ? "true" : undefined}
                  >
                    {languageNames[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
      <nav class="main" aria-label={t(lang, "site.nav.label")}>
        <ul>
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
              <NavLink href={`${base}/reports`} current={path}>
                {t(lang, "site.nav.reports")}
              </NavLink>
              <NavLink href={`${base}/governance`} current={path}>
                {t(lang, "site.nav.governance")}
              </NavLink>
              <NavLink href={`${base}/moderation`} current={path}>
                {t(lang, "site.nav.moderation")}
              </NavLink>
            </>
          )}
          <NavLink href="/methodology" current={path}>
            {t(lang, "site.nav.methodology")}
          </NavLink>
          <NavLink href="/transparency" current={path}>
            {t(lang, "site.nav.record")}
          </NavLink>
        </ul>
      </nav>
    </header>
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
