import type { Community } from "../../domain/communities";
import type { RecordedGovernance } from "../../domain/governance-record";
import { t, type Lang } from "../../i18n";
import { formatDay, When } from "./dates";
import { Layout } from "./layout";
import type { ModerationSummary } from "../../domain/moderation-summary";
import { Account, ActSentence, entryPage, rich, roleName } from "./record-entry";

// a recorded date that does not parse is shown as recorded rather than hidden
const when = (iso: string, lang: Lang) =>
  Number.isNaN(Date.parse(iso)) ? iso : <When date={new Date(iso)} lang={lang} />;
const entryLink = (index: number, lang: Lang) => <a href={entryPage(index)}>{t(lang, "gov.record", { index })}</a>;

/**
 * Who governs, under which rules, and every act, all read from the community's entries in the
 * public record (never from live rows), each linked to its leaf. Acts are sentences in the
 * reader's language; names, rules and facts are shown as signed.
 */
export function GovernancePage(props: { community: Community; recorded: RecordedGovernance; lang: Lang }) {
  const { community, recorded, lang } = props;
  const [rules, ...older] = recorded.rules;
  return (
    <Layout title={t(lang, "gov.title", { community: community.name })} lang={lang}>
      <h1>{t(lang, "gov.title", { community: community.name })}</h1>
      <p>
        {rich(lang, "gov.intro", {
          record: <a href="/transparency">{t(lang, "gov.recordLink")}</a>,
          json: <a href={`/communities/${community.handle}/governance.json`}>governance.json</a>,
        })}
      </p>
      <h2>{t(lang, "gov.roles")}</h2>
      {recorded.roles.length === 0 && recorded.signers.length === 0 && <p>{t(lang, "gov.noRole")}</p>}
      {recorded.roles.length > 0 && (
        <ul class="roles">
          {recorded.roles.map((r) => (
            <li>
              <Account actor={r.actor} handle={r.handle} name={r.name} />
              {rich(lang, "gov.role", { role: roleName(lang, r.role), date: when(r.since, lang), by: r.appointedBy })} ·{" "}
              {entryLink(r.record, lang)}
            </li>
          ))}
        </ul>
      )}
      {recorded.signers.length > 0 && (
        <>
          <p>{t(lang, "gov.signers")}</p>
          <ul class="signers">
            {recorded.signers.map((s) => (
              <li>
                {rich(
                  lang,
                  "gov.signer",
                  { name: <strong>{s.name}</strong>, count: String(s.acts), date: when(s.last, lang) },
                  s.acts,
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t(lang, "gov.rules")}</h2>
      {rules ? (
        <article class="card">
          <p class="meta">
            {rich(lang, "gov.rulesInForce", {
              version: String(rules.version),
              date: when(rules.since, lang),
              by: rules.setBy,
            })}{" "}
            · {entryLink(rules.record, lang)}
          </p>
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
              <p class="meta">
                {rich(lang, "gov.rulesFrom", { version: String(r.version), date: when(r.since, lang), by: r.setBy })} ·{" "}
                {entryLink(r.record, lang)}
              </p>
              <p class="text">{r.text}</p>
            </article>
          ))}
        </details>
      )}
      <h2>{t(lang, "gov.acts")}</h2>
      {recorded.acts.length === 0 ? (
        <p>{t(lang, "gov.noAct")}</p>
      ) : (
        <ol class="acts">
          {recorded.acts.map((entry) => (
            <li>
              {when(String(entry.document.at), lang)} · <ActSentence entry={entry} lang={lang} /> ·{" "}
              {entryLink(entry.index, lang)}
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
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
        {t(lang, "mod.intro.rules")}{" "}
        <a href={`/communities/${community.handle}/governance`}>{t(lang, "mod.intro.governance")}</a>.
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
                      {t(lang, "mod.ground.rule", { version: String(ground.rulesVersion) })}{" "}
                      <blockquote class="text">{ground.rule}</blockquote>
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
          median:
            s.medianHandlingHours === null
              ? t(lang, "modsum.median.none")
              : t(lang, "modsum.median.hours", { hours: s.medianHandlingHours }),
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
