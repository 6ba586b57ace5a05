import type { Child } from "hono/jsx";
import { languages, t, type Lang } from "../../i18n";

// Dark text on white and a blue with 7:1 contrast; large targets and a visible focus ring, for
// keyboards and thumbs; one column that fits a phone.
const css = `
*{box-sizing:border-box}
body{font:17px/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:.75rem;color:#1b1b1b;background:#fff}
a{color:#0a4aa8}a:focus,button:focus,input:focus,textarea:focus,select:focus{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem}
header nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5rem;margin-bottom:1rem}
header form{margin:0}
.card{border:1px solid #bbb;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0}
.meta{color:#444}.text{white-space:pre-line;overflow-wrap:anywhere}
.badge{display:inline-block;border:1px solid #444;border-radius:1rem;padding:0 .5rem;font-size:1rem;font-weight:600;vertical-align:middle}
label{display:block;font-weight:600;margin-top:1rem}
input[type=text],input[type=number],input[type=datetime-local],textarea,select{width:100%;font:inherit;padding:.5rem;border:1px solid #666;border-radius:.25rem}
textarea{min-height:6rem}
fieldset{border:1px solid #bbb;border-radius:.5rem;margin-top:1rem}legend{font-weight:600}
.hint{color:#444;font-size:.95em;margin:.25rem 0}
.error{color:#a00000;font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border:2px solid #a00000!important}
button,.button{font:inherit;padding:.6rem 1rem;min-height:44px;border-radius:.35rem;border:1px solid #0a4aa8;background:#0a4aa8;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#0a4aa8}
button.danger{background:#a00000;border-color:#a00000}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}
.notice{border-left:4px solid #0a7a2f;padding:.5rem 1rem;background:#eef8f0}
.alert{border-left:4px solid #a00000;padding:.5rem 1rem;background:#fdeeee}
progress{width:100%;height:1.25rem}
ol.steps li{margin:.25rem 0}
.toot{border:1px solid #c9c4da;border-radius:.5rem;padding:1rem;background:#f7f6fb;max-width:36rem}
.toot .who{font-weight:700}.toot .handle{color:#5a5670}
.toot .option{border:1px solid #6364ff;border-radius:1rem;padding:.3rem .75rem;margin:.4rem 0}
.toot .hashtag{color:#4a3fcf}
`;

export interface Chrome {
  lang: Lang;
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
        <style>{css}</style>
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
export function MessagePage(props: { chrome: Chrome; title: string; body: string; back?: boolean }) {
  return (
    <ConsoleLayout chrome={props.chrome} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      {props.back && (
        <p>
          <a href="/console">{t(props.chrome.lang, "back.dashboard")}</a>
        </p>
      )}
    </ConsoleLayout>
  );
}
