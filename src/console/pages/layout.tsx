import type { Child } from "hono/jsx";
import { languages, t, type Lang } from "../../i18n";
import { CONSOLE_SCRIPTS } from "../static";

// The look is in static/console.css and any behaviour in static/*.js, served from this origin:
// the pages carry no inline style or script, so a strict Content-Security-Policy holds.

export interface Chrome {
  lang: Lang;
  /** The steward's IANA time zone (the browser's, remembered in a cookie; UTC until known). */
  timeZone: string;
  /** Present once signed in: the navigation then carries the sign-out form. */
  csrf?: string;
  /** Where the language switch comes back to. */
  path: string;
}

export function ConsoleLayout(props: { chrome: Chrome; title: string; children: Child }) {
  const { lang, csrf, path } = props.chrome;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>
          {props.title} · {t(lang, "app.name")}
        </title>
        <link rel="stylesheet" href="/console/static/console.css" />
        {CONSOLE_SCRIPTS.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t(lang, "nav.skip")}
        </a>
        <header>
          <nav aria-label={t(lang, "app.name")}>
            <strong>{t(lang, "app.name")}</strong>
            {csrf && <a href="/console">{t(lang, "nav.dashboard")}</a>}
            {csrf && <a href="/console/campaigns/new">{t(lang, "nav.newCampaign")}</a>}
            {csrf && <a href="/console/moderation">{t(lang, "nav.moderation")}</a>}
            {csrf && <a href="/console/governance">{t(lang, "nav.governance")}</a>}
            {csrf && <a href="/console/account">{t(lang, "nav.account")}</a>}
            <span>
              {t(lang, "nav.language")}:{" "}
              {languages.map((l) => (
                <>
                  {l === lang ? (
                    <strong aria-current="true">{l.toUpperCase()}</strong>
                  ) : (
                    <a href={`/console/lang/${l}?back=${encodeURIComponent(path)}`} lang={l} hreflang={l}>
                      {l.toUpperCase()}
                    </a>
                  )}{" "}
                </>
              ))}
            </span>
            {csrf && (
              <form method="post" action="/console/signout">
                <input type="hidden" name="csrf" value={csrf} />
                <button type="submit" class="secondary">
                  {t(lang, "nav.signOut")}
                </button>
              </form>
            )}
          </nav>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
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
        <p class="notice" role="status">
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
