// A sentiment report page: the whole range first (groups chart, then every group and label, by
// message and by person side by side), then the windows over time and the weak signals. Every
// figure comes from the Report (aggregates after suppression); nothing here sees a note.

import type { Estimate } from "../reports/estimators";
import type { Report, TargetEstimates, ViewEstimates, WindowReport } from "../reports/aggregate";
import { GroupSharesChart, suppressedText, TrendChart } from "../reports/charts";
import { isSuppressed, type Suppressed } from "../reports/privacy";
import { WEAK_SIGNAL_TEST } from "../reports/weak-signals";
import type { WindowSpec } from "../reports/windows";
import { Layout } from "./layout";


const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function Share(props: { report: Report; view: ViewEstimates | Suppressed }) {
  const { view } = props;
  if (isSuppressed(view)) return <td class="suppressed">{suppressedText(props.report, view)}</td>;
  const e: Estimate = view.adjusted;
  return (
    <td class="num">
      {pct(e.estimate)}
      <span class="ci">{`95% CI ${pct(e.low)}–${pct(e.high)}${e.method.endsWith("fallback") ? " · unadjusted" : ""}`}</span>
    </td>
  );
}

function SharesTable(props: { report: Report; caption: string; rows: [string, TargetEstimates][] }) {
  return (
    <table class="shares">
      <caption>{props.caption}</caption>
      <thead>
        <tr><th scope="col">Emotion</th><th scope="col">By message</th><th scope="col">By person</th></tr>
      </thead>
      <tbody>
        {props.rows.map(([name, t]) => (
          <tr><th scope="row">{name}</th><Share report={props.report} view={t.byMessage} /><Share report={props.report} view={t.byPerson} /></tr>
        ))}
      </tbody>
    </table>
  );
}

const count = (report: Report, x: number | Suppressed) => (isSuppressed(x) ? suppressedText(report, x) : String(x));

function Breakdown(props: { report: Report; window: WindowReport; heading: string }) {
  const { report, window: w } = props;
  return (
    <section aria-labelledby="breakdown">
      <h2 id="breakdown">{props.heading}</h2>
      {w.suppressed ? (
        <p class="notice">{`No figures: ${suppressedText(report, w)}.`}</p>
      ) : (
        <>
          <p>{`${count(report, w.notes)} notes from ${w.authors} distinct authors.`}</p>
          <GroupSharesChart report={report} window={w} id="groups" />
          <SharesTable report={report} caption="Ekman groups" rows={report.groups.map((g) => [g, w.groups[g]])} />
          <details>
            <summary>All 28 labels</summary>
            <SharesTable report={report} caption="GoEmotions labels" rows={report.labels.map((l) => [l, w.labels[l]])} />
          </details>
        </>
      )}
    </section>
  );
}

function WindowsTable(props: { report: Report }) {
  const { report } = props;
  const focus = ["anger", "fear", "joy"];
  return (
    <table class="shares">
      <caption>{`Per ${report.window}: by person (${report.estimator.toUpperCase()}, 95% interval)`}</caption>
      <thead>
        <tr><th scope="col">{report.window === "week" ? "Week of" : "Day"}</th><th scope="col">Notes</th><th scope="col">Authors</th>{focus.map((g) => <th scope="col">{g}</th>)}</tr>
      </thead>
      <tbody>
        {report.windows.map((w) => (
          <tr>
            <th scope="row">{w.key}</th>
            {w.suppressed ? (
              <td class="suppressed" colspan={2 + focus.length}>{suppressedText(report, w)}</td>
            ) : (
              <>
                <td class="num">{count(report, w.notes)}</td>
                <td class="num">{w.authors}</td>
                {focus.map((g) => <Share report={report} view={w.groups[g].byPerson} />)}
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ReportLinks {
  /** Base path of this report, without suffix or query. */
  path: string;
  up: { href: string; label: string };
}

const WINDOW_NAMES: Record<WindowSpec, string> = { day: "By day", week: "By week", campaign: "Whole campaign" };

export function ReportPage(props: { report: Report; links: ReportLinks }) {
  const { report, links } = props;
  const q = `?window=${report.window}&estimator=${report.estimator}`;
  const whole = report.total ?? report.windows[0];
  const estimator = report.estimator === "acc" ? "adjusted classify-and-count (ACC)" : "probabilistic adjusted classify-and-count (PACC)";
  return (
    <Layout title={`Sentiment report: ${report.title}`}>
      <p><a href={links.up.href}>{links.up.label}</a></p>
      <h1>{`Sentiment report: ${report.title}`}</h1>
      <p class="meta">
        {`Shares are estimated with ${estimator} and shown with 95% intervals. Model ${report.modelVersion}; breakdowns with fewer than ${report.k} distinct authors are suppressed`}
        {report.noise ? `; Laplace noise with ε = ${report.noise.epsilon}` : "; figures are exact (no noise)"}
        {". "}
        <a href="/methodology">Methodology</a>
      </p>
      <nav class="windows" aria-label="Windows">
        {(["day", "week", "campaign"] as const).map((w) =>
          w === report.window ? <strong aria-current="page">{WINDOW_NAMES[w]}</strong> : <a href={`${links.path}?window=${w}&estimator=${report.estimator}`}>{WINDOW_NAMES[w]}</a>,
        )}
        <a href={`${links.path}.json${q}`}>JSON</a>
        <a href={`${links.path}.csv${q}`}>CSV</a>
      </nav>
      {whole ? (
        <Breakdown report={report} window={whole} heading={report.total ? "Whole range" : "Whole campaign"} />
      ) : (
        <p class="notice">No scored notes yet.</p>
      )}
      {report.window !== "campaign" && report.windows.length > 0 && (
        <section aria-labelledby="over-time">
          <h2 id="over-time">Over time</h2>
          <TrendChart report={report} id="trend" />
          <WindowsTable report={report} />
        </section>
      )}
      {report.weakSignals && (
        <section aria-labelledby="signals">
          <h2 id="signals">Weak signals</h2>
          {report.weakSignals.length === 0 ? (
            <p>No week shows a significant rise of anger, fear or joy.</p>
          ) : (
            <ul>
              {report.weakSignals.map((s) => (
                <li>{`Week of ${s.week}: ${s.signal} rising to ${pct(s.share)} by person (baseline ${pct(s.baseline)}; adjusted p = ${s.adjustedPValue.toPrecision(2)})`}</li>
              ))}
            </ul>
          )}
          <p class="meta">{`Test used: ${WEAK_SIGNAL_TEST}.`}</p>
        </section>
      )}
      <p class="meta">{`Generated ${report.generatedAt}.`}</p>
    </Layout>
  );
}
