import type { Child } from "hono/jsx";
import type { RecordEntry } from "../../domain/governance-record";
import { actSigner } from "../../domain/governance-record";
import { t, type Lang, type MessageKey } from "../../i18n";

/** Only web addresses become links; anything else recorded is shown as text. */
export const webHref = (s: unknown): string | undefined =>
  typeof s === "string" && /^https?:\/\/[^\s]+$/i.test(s) ? s : undefined;

/**
 * A message whose `{name}` placeholders are filled with elements (links, quotes), not strings:
 * the template is translated, then split around its placeholders. Text stays escaped by JSX.
 */
export function rich(lang: Lang, key: MessageKey, parts: Record<string, Child>, count?: number): Child[] {
  // only the count goes through t() (it picks the singular); recorded text never becomes a template
  return t(lang, key, count === undefined ? {} : { count })
    .split(/(\{\w+\})/)
    .map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      return name !== undefined && name in parts ? parts[name] : piece;
    });
}

/** The public record page that starts at this entry (pages run newest first, by `before`). */
export const entryPage = (index: number) => `/transparency?before=${index + 1}#entry-${index}`;

const str = (v: unknown): string => (typeof v === "string" || typeof v === "number" ? String(v) : "");
const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A role's name in the reader's language; the record keeps the English identifier. */
export const roleName = (lang: Lang, role: unknown) =>
  role === "steward" || role === "moderator" ? t(lang, `gov.role.${role}` as MessageKey) : str(role);

/** An account as recorded: its confirmed handle linked to its actor, or the text recorded then. */
export function Account(props: { actor: unknown; handle?: unknown; name?: unknown }) {
  const label = str(props.handle) || str(props.actor);
  const href = webHref(props.actor);
  const name = str(props.name);
  const shown = name ? `${name} (${label})` : label;
  return href ? <a href={href}>{shown}</a> : <strong>{shown}</strong>;
}

const Link = (props: { url: unknown }) => {
  const href = webHref(props.url);
  return href ? <a href={href}>{clip(href, 120)}</a> : <code>{clip(str(props.url), 120)}</code>;
};

/** One act of the public record as a sentence in the reader's language; names, rules and facts as signed. */
export function ActSentence(props: { entry: RecordEntry; lang: Lang }) {
  const { lang } = props;
  const d = props.entry.document;
  const by = <strong>{actSigner(d) ?? t(lang, "act.someone")}</strong>;
  const quote = (v: unknown) => <q>{clip(str(v))}</q>;
  switch (d.type) {
    case "role-appointed":
    case "role-removed":
      return (
        <>
          {rich(lang, `act.${d.type}`, {
            by,
            who: <Account actor={d.actor} handle={d.handle} name={d.name} />,
            role: roleName(lang, d.role),
          })}
        </>
      );
    case "rules-set":
      return <>{rich(lang, "act.rules-set", { by, version: str(d.version) })}</>;
    case "campaign-closed":
      return <>{rich(lang, "act.campaign-closed", { by, title: quote(d.title), outcome: quote(d.outcome) })}</>;
    case "block-lifted":
      return (
        <>
          {rich(lang, d.kind === "domain" ? "act.block-lifted.domain" : "act.block-lifted.actor", {
            by,
            value: <code>{str(d.value)}</code>,
          })}{" "}
          {rich(lang, "act.facts", { facts: quote(d.facts) })}
        </>
      );
    case "statement-of-reasons": {
      const ground = (d.ground ?? {}) as { rule?: unknown };
      const content = d.contentType === "text" ? <Link url={d.content} /> : <code>{str(d.content)}</code>;
      const key: MessageKey =
        d.restriction === "none"
          ? "act.rejected"
          : d.restriction === "visibility"
            ? "act.hid"
            : d.contentType === "domain"
              ? "act.blocked.domain"
              : d.contentType === "account"
                ? "act.blocked.actor"
                : "act.decided";
      return (
        <>
          {rich(lang, key, { by, content, decision: str(d.decision) })}
          {ground.rule ? <> {rich(lang, "act.rule", { rule: quote(ground.rule) })}</> : null}{" "}
          {rich(lang, "act.facts", { facts: quote(d.facts) })}
        </>
      );
    }
    default:
      return <>{rich(lang, "act.other", { type: <code>{d.type}</code> })}</>;
  }
}
