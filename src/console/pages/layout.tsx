import type { Child } from "hono/jsx";
import { NavLink, PageShell } from "../../ui";
import { t, type Lang, type MessageKey } from "../../i18n";

export interface Chrome {
  lang: Lang;
  /** The steward's IANA time zone (the browser's, remembered in a cookie; UTC until known). */
  timeZone: string;
  /** Present once signed in: the navigation then carries the sign-out form. */
  csrf?: string;
  /** Where the language switch comes back to. */
  path: string;
}

/**
 * The console's layout: the one page shell (src/ui/layout.tsx) with the steward's menu and
 * sign-out form once signed in, the passkey scripts, and no footer; search engines are asked to
 * keep away.
 */
export function ConsoleLayout(props: { chrome: Chrome; title: string; children: Child }) {
  const { lang, csrf, path } = props.chrome;
  return (
    <PageShell
      lang={lang}
      title={`${props.title} · ${t(lang, "app.name")}`}
      brand={
        <a class="brand" href="/console">
          Ensemble <span class="area">· {t(lang, "app.name")}</span>
        </a>
      }
      langBack={path}
      nav={csrf && <ConsoleNav lang={lang} csrf={csrf} path={path} />}
      navLabel={t(lang, "app.name")}
      scripts={["webauthn.js", "console.js"]}
      noindex
    >
      {props.children}
    </PageShell>
  );
}

// The steward's pages, in the menu's order.
const consolePages: Array<[string, MessageKey]> = [
  ["/console", "nav.dashboard"],
  ["/console/campaigns/new", "nav.newCampaign"],
  ["/console/moderation", "nav.moderation"],
  ["/console/governance", "nav.governance"],
  ["/console/account", "nav.account"],
];

function ConsoleNav(props: { lang: Lang; csrf: string; path: string }) {
  const { lang, path } = props;
  return (
    <>
      {consolePages.map(([href, key]) => (
        <NavLink href={href} current={path}>
          {t(lang, key)}
        </NavLink>
      ))}
      <li>
        <form method="post" action="/console/signout">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit" class="secondary">
            {t(lang, "nav.signOut")}
          </button>
        </form>
      </li>
    </>
  );
}

/** A page that only says something: refusals, expired links, confirmations. */
export function MessagePage(props: { chrome: Chrome; title: string; body: string; back?: boolean; signin?: boolean }) {
  return (
    <ConsoleLayout chrome={props.chrome} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      {props.signin && (
        <p>
          <a href="/console/signin">{t(props.chrome.lang, "nav.passkeySignIn")}</a>
        </p>
      )}
      {props.back && (
        <p>
          <a href="/console">{t(props.chrome.lang, "back.dashboard")}</a>
        </p>
      )}
    </ConsoleLayout>
  );
}

/** What the last action did (a notice, after a redirect) or why it was refused (an alert); `extra` follows the notice (links). */
export function Notices(props: { notice?: string; alert?: string; extra?: Child }) {
  return (
    <>
      {props.notice && (
        <p class="notice done" role="status">
          {props.notice}
          {props.extra && <> {props.extra}</>}
        </p>
      )}
      {props.alert && (
        <p class="alert" role="alert">
          {props.alert}
        </p>
      )}
    </>
  );
}
