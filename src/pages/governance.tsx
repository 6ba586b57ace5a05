import type { Community } from "../domain/communities";
import type { governanceJson } from "../domain/governance-json";
import { t, type Lang, type MessageKey } from "../i18n";
import { formatDay } from "./dates";
import { Layout } from "./layout";
import type { ModerationSummary } from "../domain/moderation-summary";

type View = ReturnType<typeof governanceJson>;


/** A role's name in the reader's language; the signed record keeps the English identifier. */
const roleName = (lang: Lang, role: string) => (role === "steward" || role === "moderator" ? t(lang, `gov.role.${role}` as MessageKey) : role);

/**
 * Who governs, under which rules, and every act, each linked to its leaf in the public record.
 * The page follows the reader's language; the acts and rules themselves are shown as recorded.
 */
export function GovernancePage(props: { community: Community; view: View; lang: Lang }) {
  const { community, view, lang } = props;
  const [rules, ...older] = view.rules;
  return (
    <Layout title={t(lang, "gov.title", { community: community.name })} lang={lang}>
      <h1>{t(lang, "gov.title", { community: community.name })}</h1>
      <p>
        {t(lang, "gov.intro.record")} <a href="/transparency/checkpoint">{t(lang, "gov.intro.recordLink")}</a>
        {t(lang, "gov.intro.verify")} <code>npx ensemble verify &lt;record link&gt;</code>
        {t(lang, "gov.intro.json")} <a href={`/communities/${community.handle}/governance.json`}>governance.json</a>.
      </p>
      <h2>{t(lang, "gov.roles")}</h2>
      {view.roles.length === 0 ? (
        <p>{t(lang, "gov.noRole")}</p>
      ) : (
        <ul>
          {view.roles.map((r) => (
            <li>
              <strong>{r.actor}</strong>
              {t(lang, "gov.role", { role: roleName(lang, r.role), date: formatDay(lang, r.since), by: r.appointedBy })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t(lang, "gov.rules")}</h2>
      {rules ? (
        <article class="card">
          <p class="meta">{t(lang, "gov.rulesInForce", { version: rules.version, date: formatDay(lang, rules.createdAt) })}</p>
          <p class="text">{rules.text}</p>
        </article>
      ) : (
        <p>{t(lang, "gov.noRules")}</p>
      )}
      {older.length > 0 && (
        <details>
          <summary>{t(lang, "gov.earlier")}</summary>
          {older.map((r) => (
            <article class="card">
              <p class="meta">{t(lang, "gov.rulesFrom", { version: r.version, date: formatDay(lang, r.createdAt) })}</p>
              <p class="text">{r.text}</p>
            </article>
          ))}
        </details>
      )}
      <h2>{t(lang, "gov.acts")}</h2>
      <ActList acts={view.acts} lang={lang} />
    </Layout>
  );
}

export function ActList(props: { acts: View["acts"]; lang: Lang }) {
  const { lang } = props;
  if (props.acts.length === 0) return <p>{t(lang, "gov.noAct")}</p>;
  return (
    <ol>
      {props.acts.map((a) => (
        <li>
          {formatDay(lang, a.at)} · <strong>{a.type}</strong> · {summary(a.payload)} · <a href={a.record}>{t(lang, "gov.record", { index: a.recordIndex })}</a>
        </li>
      ))}
    </ol>
  );
}

function summary(payload: unknown): string {
  const p = (payload ?? {}) as Record<string, unknown>;
  return Object.entries(p)
    .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .map(([k, v]) => `${k}: ${String(v).length > 80 ? `${String(v).slice(0, 80)}…` : v}`)
    .join("; ");
}

interface Statement {
  recordIndex: number;
  record: string;
  statement: Record<string, unknown>;
}

/** The moderation log: every statement of reasons, in full, with its leaf in the public record. */
export function ModerationLogPage(props: { community: Community; statements: Statement[]; lang: Lang }) {
  const { community, lang } = props;
  const yesNo = (v: unknown) => t(lang, v ? "mod.yes" : "mod.no");
  return (
    <Layout title={t(lang, "mod.title", { community: community.name })} lang={lang}>
      <h1>{t(lang, "mod.title", { community: community.name })}</h1>
      <p>
        {t(lang, "mod.intro")} <a href={`/communities/${community.handle}/moderation.json`}>JSON</a>
        {t(lang, "mod.intro.rules")} <a href={`/communities/${community.handle}/governance`}>{t(lang, "mod.intro.governance")}</a>.
      </p>
      {props.statements.length === 0 ? (
        <p>{t(lang, "mod.none")}</p>
      ) : (
        props.statements.map(({ statement: s, record, recordIndex }) => {
          const ground = (s.ground ?? {}) as { type?: string; rule?: string; rulesVersion?: number };
          return (
            <article class="card" id={`record-${recordIndex}`}>
              <h2>{String(s.decision)}</h2>
              <dl class="facts">
                <dt>{t(lang, "mod.date")}</dt>
                <dd>{formatDay(lang, String(s.date))}</dd>
                <dt>{t(lang, "mod.contentType")}</dt>
                <dd>{String(s.contentType)}</dd>
                <dt>{t(lang, "mod.content")}</dt>
                <dd>
                  <code>{String(s.content)}</code>
                </dd>
                <dt>{t(lang, "mod.ground")}</dt>
                <dd>
                  {ground.rule ? (
                    <>
                      {t(lang, "mod.ground.rule", { version: String(ground.rulesVersion) })} <blockquote class="text">{ground.rule}</blockquote>
                    </>
                  ) : (
                    t(lang, "mod.ground.none")
                  )}
                </dd>
                <dt>{t(lang, "mod.facts")}</dt>
                <dd class="text">{String(s.facts)}</dd>
                <dt>{t(lang, "mod.source")}</dt>
                <dd>{t(lang, s.source === "notice" ? "mod.source.notice" : "mod.source.own")}</dd>
                <dt>{t(lang, "mod.automatedDetection")}</dt>
                <dd>{yesNo(s.automatedDetection)}</dd>
                <dt>{t(lang, "mod.automatedDecision")}</dt>
                <dd>{yesNo(s.automatedDecision)}</dd>
                <dt>{t(lang, "mod.decidedBy")}</dt>
                <dd>{String(s.decidedBy)}</dd>
                <dt>{t(lang, "mod.record")}</dt>
                <dd>
                  <a href={record}>{t(lang, "gov.record", { index: recordIndex })}</a>
                </dd>
              </dl>
            </article>
          );
        })
      )}
    </Layout>
  );
}

export function ModerationSummaryPage(props: { community: Community; summary: ModerationSummary; lang: Lang }) {
  const { community, summary: s, lang } = props;
  // an empty breakdown says so, rather than leaving a caption over nothing
  const rows = (counts: Record<string, number>) =>
    Object.keys(counts).length === 0 ? (
      <tr>
        <td colspan={2}>{t(lang, "site.none")}</td>
      </tr>
    ) : (
      Object.entries(counts).map(([k, n]) => (
        <tr>
          <th scope="row">{k}</th>
          <td>{n}</td>
        </tr>
      ))
    );
  return (
    <Layout title={t(lang, "modsum.title", { year: s.year, community: community.name })} lang={lang}>
      <h1>{t(lang, "modsum.title", { year: s.year, community: community.name })}</h1>
      <p>
        {t(lang, "modsum.counts", {
          statements: s.statements,
          reports: s.reportsResolved,
          median: s.medianHandlingHours === null ? t(lang, "modsum.median.none") : t(lang, "modsum.median.hours", { hours: s.medianHandlingHours }),
        })}{" "}
        {t(lang, "modsum.every")} <a href={`/communities/${community.handle}/moderation`}>{t(lang, "modsum.log")}</a>
        {t(lang, "modsum.alsoAs")} <a href={`/communities/${community.handle}/moderation/${s.year}.json`}>JSON</a>.
      </p>
      <table class="counts">
        <caption>{t(lang, "modsum.byDecision")}</caption>
        <tbody>{rows(s.byDecision)}</tbody>
      </table>
      <table class="counts">
        <caption>{t(lang, "modsum.byGround")}</caption>
        <tbody>{rows(s.byGround)}</tbody>
      </table>
    </Layout>
  );
}
