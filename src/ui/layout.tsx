import type { Child } from "hono/jsx";
import { languages, t, type Lang } from "../i18n";
import { assetHref } from "../assets";

// Styles and scripts are static files served under /assets/ (src/http/assets.ts): under a strict
// Content-Security-Policy no page carries inline style or script.
const languageNames: Record<Lang, string> = { en: "English", fr: "Français" };

/**
 * The one page of Ensemble, public site and steward console alike: the stylesheet, the site
 * script (local times, copy buttons), a skip link, a top bar with the brand and the language
 * switch, the area's navigation, the main content and the area's footer. Each area fills the
 * slots: the site its community menu and contact footer (src/site/pages/layout.tsx), the console
 * its steward menu and sign-out form (src/console/pages/layout.tsx).
 */
export function PageShell(props: {
  lang: Lang;
  /** The whole `<title>`. */
  title: string;
  /** The left of the top bar (a link home). */
  brand: Child;
  /** Where the language switch brings the reader back; no switch without it. */
  langBack?: string;
  /** The main navigation's `<li>` items (none before a steward signs in), and its accessible name. */
  nav?: Child;
  navLabel: string;
  footer?: Child;
  /** Scripts this area needs after the site script (asset names). */
  scripts?: string[];
  /** Pages nobody should find in a search engine (the console). */
  noindex?: boolean;
  children: Child;
}) {
  const { lang } = props;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.noindex && <meta name="robots" content="noindex" />}
        <title>{props.title}</title>
        <link rel="stylesheet" href={assetHref("site.css")} />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        {["site.js", ...(props.scripts ?? [])].map((name) => (
          <script src={assetHref(name)} defer></script>
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t(lang, "site.skip")}
        </a>
        <header class="site">
          <div class="bar">
            {props.brand}
            {props.langBack !== undefined && <LanguageSwitch lang={lang} back={props.langBack} />}
          </div>
          {props.nav && (
            <nav class="main" aria-label={props.navLabel}>
              <ul>{props.nav}</ul>
            </nav>
          )}
        </header>
        <main id="main">{props.children}</main>
        {props.footer}
      </body>
    </html>
  );
}

/** Each language by its own name; the choice is a cookie set by /console/lang/{lang} (src/console/routes.tsx). */
function LanguageSwitch(props: { lang: Lang; back: string }) {
  return (
    <nav class="lang" aria-label={t(props.lang, "site.lang.label")}>
      <ul>
        {languages.map((l) => (
          <li>
            <a
              href={`/console/lang/${l}?back=${encodeURIComponent(props.back)}`}
              lang={l}
              hreflang={l}
              aria-current={l === props.lang ? "true" : undefined}
            >
              {languageNames[l]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A link of the main navigation, marked as the current page when it is. */
export function NavLink(props: { href: string; current: string | undefined; children: Child }) {
  const here = props.current?.split(/[?#]/)[0] === props.href;
  return (
    <li>
      <a href={props.href} aria-current={here ? "page" : undefined}>
        {props.children}
      </a>
    </li>
  );
}
