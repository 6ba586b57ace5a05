import type { Community } from "../domain/communities";
import type { governanceJson } from "../domain/governance-json";
import { Layout } from "./layout";
import type { ModerationSummary } from "../domain/moderation-summary";

type View = ReturnType<typeof governanceJson>;

const date = (iso: string) => iso.slice(0, 10);

/** Who governs, under which rules, and every act, each linked to its leaf in the public record. */
export function GovernancePage(props: { community: Community; view: View }) {
  const { community, view } = props;
  const [rules, ...older] = view.rules;
  return (
    <Layout title={`Governance of ${community.name}`}>
      <h1>Governance of {community.name}</h1>
      <p>
        Every act below is signed and appended to this server's <a href="/transparency/checkpoint">public record</a>; check
        one with <code>npx ensemble verify &lt;record link&gt;</code>. The same page as signed JSON:{" "}
        <a href={`/communities/${community.handle}/governance.json`}>governance.json</a>.
      </p>
      <h2>Stewards and moderators</h2>
      {view.roles.length === 0 ? (
        <p>Nobody has been appointed yet.</p>
      ) : (
        <ul>
          {view.roles.map((r) => (
            <li>
              <strong>{r.actor}</strong>, {r.role} since {date(r.since)}, appointed by {r.appointedBy}
            </li>
          ))}
        </ul>
      )}
      <h2>Rules</h2>
      {rules ? (
        <article class="card">
          <p class="meta">
            Version {rules.version}, in force since {date(rules.createdAt)}
          </p>
          <p class="text">{rules.text}</p>
        </article>
      ) : (
        <p>No rules have been set.</p>
      )}
      {older.length > 0 && (
        <details>
          <summary>Earlier versions</summary>
          {older.map((r) => (
            <article class="card">
              <p class="meta">
                Version {r.version}, from {date(r.createdAt)}
              </p>
              <p class="text">{r.text}</p>
            </article>
          ))}
        </details>
      )}
      <h2>Acts</h2>
      <ActList acts={view.acts} />
    </Layout>
  );
}

export function ActList(props: { acts: View["acts"] }) {
  if (props.acts.length === 0) return <p>No act recorded yet.</p>;
  return (
    <ol>
      {props.acts.map((a) => (
        <li>
          {date(a.at)} · <strong>{a.type}</strong> · {summary(a.payload)} · <a href={a.record}>record {a.recordIndex}</a>
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
export function ModerationLogPage(props: { community: Community; statements: Statement[] }) {
  const { community } = props;
  return (
    <Layout title={`Moderation log of ${community.name}`}>
      <h1>Moderation log of {community.name}</h1>
      <p>
        Each decision is explained in a statement of reasons, after the EU DSA Transparency Database. Statements never name
        who reported. Also as <a href={`/communities/${community.handle}/moderation.json`}>JSON</a>; rules and roles are on
        the <a href={`/communities/${community.handle}/governance`}>governance page</a>.
      </p>
      {props.statements.length === 0 ? (
        <p>No moderation decision yet.</p>
      ) : (
        props.statements.map(({ statement: s, record, recordIndex }) => {
          const ground = (s.ground ?? {}) as { type?: string; rule?: string; rulesVersion?: number };
          return (
            <article class="card" id={`record-${recordIndex}`}>
              <h2>{String(s.decision)}</h2>
              <dl class="facts">
                <dt>Date</dt>
                <dd>{String(s.date)}</dd>
                <dt>Content type</dt>
                <dd>{String(s.contentType)}</dd>
                <dt>Content</dt>
                <dd>
                  <code>{String(s.content)}</code>
                </dd>
                <dt>Ground</dt>
                <dd>
                  {ground.rule ? (
                    <>
                      incompatible with the community's rules (version {ground.rulesVersion}):{" "}
                      <blockquote class="text">{ground.rule}</blockquote>
                    </>
                  ) : (
                    "none: no restriction was imposed"
                  )}
                </dd>
                <dt>Facts</dt>
                <dd class="text">{String(s.facts)}</dd>
                <dt>Prompted by</dt>
                <dd>{s.source === "notice" ? "a report" : "the community's own initiative"}</dd>
                <dt>Automated detection</dt>
                <dd>{s.automatedDetection ? "yes" : "no"}</dd>
                <dt>Automated decision</dt>
                <dd>{s.automatedDecision ? "yes" : "no"}</dd>
                <dt>Decided by</dt>
                <dd>{String(s.decidedBy)}</dd>
                <dt>Public record</dt>
                <dd>
                  <a href={record}>record {recordIndex}</a>
                </dd>
              </dl>
            </article>
          );
        })
      )}
    </Layout>
  );
}

export function ModerationSummaryPage(props: { community: Community; summary: ModerationSummary }) {
  const { community, summary: s } = props;
  const rows = (counts: Record<string, number>) =>
    Object.entries(counts).map(([k, n]) => (
      <tr>
        <th scope="row">{k}</th>
        <td>{n}</td>
      </tr>
    ));
  return (
    <Layout title={`Moderation in ${s.year}: ${community.name}`}>
      <h1>
        Moderation in {s.year}: {community.name}
      </h1>
      <p>
        {s.statements} statements of reasons; {s.reportsResolved} reports resolved; median handling time{" "}
        {s.medianHandlingHours === null ? "not applicable (no resolved report)" : `${s.medianHandlingHours} hours`}. Every
        statement is in the <a href={`/communities/${community.handle}/moderation`}>moderation log</a>; also as{" "}
        <a href={`/communities/${community.handle}/moderation/${s.year}.json`}>JSON</a>.
      </p>
      <table>
        <caption>By decision</caption>
        <tbody>{rows(s.byDecision)}</tbody>
      </table>
      <table>
        <caption>By ground</caption>
        <tbody>{rows(s.byGround)}</tbody>
      </table>
    </Layout>
  );
}
