import { t, type Lang } from "../../i18n";

/** A text to copy, with a button that /assets/site.js reveals where the clipboard works. */
export function CopyText(props: { id: string; text: string; lang: Lang }) {
  const { lang } = props;
  return (
    <span class="copy-row">
      <code id={props.id}>{props.text}</code>
      <button type="button" class="secondary" data-copy={props.id} data-copied={t(lang, "site.join.copied")} hidden>
        {t(lang, "site.join.copy")}
      </button>
    </span>
  );
}

/**
 * Joining in one step: the handle to follow, a form that sends the visitor to their own server's
 * page for this campaign (GET …/interact, src/site/remote-interaction.tsx), and the plain
 * instructions for any client.
 */
export function JoinSection(props: { url: string; handle: string; lang: Lang }) {
  const { lang } = props;
  return (
    <section aria-labelledby="join">
      <h2 id="join">{t(lang, "public.join")}</h2>
      <p>{t(lang, "site.join.follow")}</p>
      <p>
        <CopyText id="follow-handle" text={props.handle} lang={lang} />
      </p>
      <form class="interact" method="get" action={`${new URL(props.url).pathname}/interact`}>
        <label for="server">{t(lang, "site.join.server")}</label>
        <p class="hint" id="server-hint">
          {t(lang, "site.join.serverHint")}
        </p>
        <p class="copy-row">
          <input
            id="server"
            name="server"
            type="text"
            inputmode="url"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            required
            maxlength={300}
            placeholder="mastodon.social"
            aria-describedby="server-hint"
          />
          <button type="submit">{t(lang, "site.join.go")}</button>
        </p>
      </form>
      <p>{t(lang, "site.join.fallback")}</p>
      <p>
        <CopyText id="campaign-url" text={props.url} lang={lang} />
      </p>
    </section>
  );
}
