import { t } from "../../i18n";
import { ConsoleLayout, type Chrome } from "./layout";

/**
 * The link only shows this button: mail scanners and link previews fetch links, and must not
 * use up a one-time link before the steward clicks it.
 */
export function SignInPage(props: { chrome: Chrome; community: string; token: string }) {
  const { lang } = props.chrome;
  return (
    <ConsoleLayout chrome={props.chrome} title={t(lang, "signin.title")}>
      <h1>{t(lang, "signin.title")}</h1>
      <p>{t(lang, "signin.intro", { community: props.community })}</p>
      <form method="post" action="/console/signin">
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{t(lang, "signin.button")}</button>
      </form>
    </ConsoleLayout>
  );
}
