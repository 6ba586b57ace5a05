// A sentiment report page, in the reader's language: first a plain-language summary anyone can
// read ("About 4 replies in 10 expressed anger"), then the statistical details: the whole range
// (groups chart, every group by message and by person), the windows over time and the weak
// signals. Every figure comes from the Report (aggregates after suppression and noise); nothing
// here sees a note.

import { t, type Lang, type MessageKey } from "../../i18n";
import {
  type Estimate,
  type Report,
  type TargetEstimates,
  type ViewEstimates,
  type WindowReport,
  isSuppressed,
  type Suppressed,
  emotionName,
  percentIn,
  suppressedIn,
  WEAK_SIGNAL_TEST,
  type WindowSpec,
} from "../../reports";
import { Layout } from "./layout";
import { GroupSharesChart, TrendChart } from "./report-charts";

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }),
  fr: new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }),
};
/** A window's [start, end) as the days it covers: the end is exclusive, so the last day is the one before. */
const lastDay = (end: string) => new Date(Date.parse(end) - 1);

function periodOf(lang: Lang, report: Report, w: WindowReport): string {
  if (report.window === "campaign" || !w.start || !w.end) return t(lang, "report.period.campaign");
  return t(lang, "report.period.range", {
    start: dateFormats[lang].format(new Date(w.start)),
    end: dateFormats[lang].format(lastDay(w.end)),
  });
}

/** A range this wide (in tenths) says nothing worth a sentence of its own. */
const UNSURE_TENTHS = 6;

/** The share could not be corrected for the model's error (see estimators.ts, MIN_DISCRIMINATION). */
const unmeasured = (e: Estimate) => e.method.endsWith("fallback");

/** "About 4 replies in 10 expressed anger (between 3 and 5 in 10)": the interval rounded outwards, never narrower. */
function shareSentence(lang: Lang, emotion: string, e: Estimate): string {
  const count = Math.round(e.estimate * 10);
  const low = Math.floor(e.low * 10 + 1e-9);
  const high = Math.ceil(e.high * 10 - 1e-9);
  const name = emotionName(lang, emotion, ".expressed");
  // Wide because the model cannot tell this emotion apart in these replies' language (the share is
  // unadjusted), not because too few replied: more replies would not narrow it, so say which.
  if (high - low >= UNSURE_TENTHS)
    return t(lang, unmeasured(e) ? "report.summary.unmeasured" : "report.summary.unsure", { emotion: name, low, high });
  if (count === 0) return t(lang, "report.summary.few", { emotion: name, high });
  return t(lang, "report.summary.share", { count, emotion: name, low, high });
}

/** The plain-language summary: who replied, the three most expressed emotions, or why nothing can be said. */
export function summaryLines(lang: Lang, report: Report): string[] {
  const whole = report.total ?? report.windows[0];
  const lines: string[] = [];
  if (!whole || report.windows.length === 0) {
    lines.push(t(lang, "report.summary.none"));
  } else if (whole.suppressed) {
    lines.push(t(lang, "report.summary.tooFew", { k: report.k, period: periodOf(lang, report, whole) }));
  } else {
    lines.push(t(lang, "report.summary.people", { authors: whole.authors, period: periodOf(lang, report, whole) }));
    const shares = report.groups
      .filter((g) => g !== "neutral")
      .flatMap((g) => {
        const v = whole.groups[g]?.byMessage;
        return v && !isSuppressed(v) ? [[g, v.adjusted] as const] : [];
      })
      .sort((a, b) => b[1].estimate - a[1].estimate)
      .slice(0, 3);
    const sentences = shares.map(([g, e]) => shareSentence(lang, g, e));
    const unsure = shares.every(
      ([, e]) => Math.ceil(e.high * 10 - 1e-9) - Math.floor(e.low * 10 + 1e-9) >= UNSURE_TENTHS,
    );
    if (shares.length && unsure)
      lines.push(
        t(lang, shares.every(([, e]) => unmeasured(e)) ? "report.summary.allUnmeasured" : "report.summary.allUnsure"),
      );
    else lines.push(...sentences, ...(shares.length ? [t(lang, "report.summary.how")] : []));
  }
  if (report.noise) lines.push(t(lang, "report.summary.closedOnly"));
  return lines;
}

function Share(props: { lang: Lang; report: Report; view: ViewEstimates | Suppressed }) {
  const { view, lang } = props;
  if (isSuppressed(view)) return <td class="suppressed">{suppressedIn(lang, props.report, view)}</td>;
  const e: Estimate = view.adjusted;
  const pct = (x: number) => percentIn(lang, x);
  return (
    <td class="num">
      {pct(e.estimate)}
      <span class="ci">{`${t(lang, "report.ci", { low: pct(e.low), high: pct(e.high) })}${e.method.endsWith("fallback") ? t(lang, "report.unadjusted") : ""}`}</span>
    </td>
  );
}

function SharesTable(props: {
  lang: Lang;
  report: Report;
  caption: string;
  rows: [string, TargetEstimates][];
  translate: boolean;
}) {
  const { lang } = props;
  return (
    <div class="table-scroll">
      <table class="shares">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, "report.emotion")}</th>
            <th scope="col">{t(lang, "report.byMessage")}</th>
            <th scope="col">{t(lang, "report.byPerson")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([name, row]) => (
            <tr>
              <th scope="row">{props.translate ? emotionName(lang, name) : name}</th>
              <Share lang={lang} report={props.report} view={row.byMessage} />
              <Share lang={lang} report={props.report} view={row.byPerson} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const count = (lang: Lang, report: Report, x: number | Suppressed) =>
  isSuppressed(x) ? suppressedIn(lang, report, x) : String(x);

function Breakdown(props: { lang: Lang; report: Report; window: WindowReport; heading: string }) {
  const { lang, report, window: w } = props;
  return (
    <section aria-labelledby="breakdown">
      <h2 id="breakdown">{props.heading}</h2>
      {w.suppressed ? (
        <p class="notice">{t(lang, "report.noFigures", { reason: suppressedIn(lang, report, w) })}</p>
      ) : (
        <>
          <p>
            {report.noise
              ? t(lang, "report.counts.dp", {
                  notes: count(lang, report, w.notes),
                  authors: w.authors,
                  c: report.noise.maxNotesPerAuthor,
                })
              : t(lang, "report.counts.exact", { notes: count(lang, report, w.notes), authors: w.authors })}
          </p>
          <GroupSharesChart report={report} window={w} id="groups" lang={lang} />
          <SharesTable
            lang={lang}
            report={report}
            caption={t(lang, "report.groups")}
            rows={report.groups.map((g) => [g, w.groups[g]])}
            translate
          />
          {report.labels.length > 0 && (
            <details>
              <summary>{t(lang, "report.labels.all")}</summary>
              <SharesTable
                lang={lang}
                report={report}
                caption={t(lang, "report.labels")}
                rows={report.labels.map((l) => [l, w.labels[l]])}
                translate={false}
              />
            </details>
          )}
        </>
      )}
    </section>
  );
}

function WindowsTable(props: { lang: Lang; report: Report }) {
  const { lang, report } = props;
  const focus = ["anger", "fear", "joy"];
  const estimator = report.estimator.toUpperCase();
  return (
    <div class="table-scroll">
      <table class="shares">
        <caption>
          {t(lang, report.window === "week" ? "report.perWindow.week" : "report.perWindow.day", { estimator })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, report.window === "week" ? "report.weekOf" : "report.day")}</th>
            <th scope="col">{t(lang, "report.notes")}</th>
            <th scope="col">{t(lang, "report.authors")}</th>
            {focus.map((g) => (
              <th scope="col">{emotionName(lang, g)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.windows.map((w) => (
            <tr>
              <th scope="row">{w.key}</th>
              {w.suppressed ? (
                <td class="suppressed" colspan={2 + focus.length}>
                  {suppressedIn(lang, report, w)}
                </td>
              ) : (
                <>
                  <td class="num">{count(lang, report, w.notes)}</td>
                  <td class="num">{w.authors}</td>
                  {focus.map((g) => (
                    <Share lang={lang} report={report} view={w.groups[g].byPerson} />
                  ))}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface ReportLinks {
  /** Base path of this report, without suffix or query. */
  path: string;
  up: { href: string; label: string };
}

const WINDOW_NAMES: Record<WindowSpec, MessageKey> = {
  day: "report.window.day",
  week: "report.window.week",
  campaign: "report.window.campaign",
};

export function ReportPage(props: { report: Report; links: ReportLinks; lang?: Lang }) {
  const { report, links } = props;
  const lang = props.lang ?? "en";
  const q = `?window=${report.window}&estimator=${report.estimator}`;
  const whole = report.windows.length ? (report.total ?? report.windows[0]) : undefined;
  const title = t(lang, "report.title", { title: report.title });
  return (
    <Layout title={title} lang={lang}>
      <p>
        <a href={links.up.href}>{links.up.label}</a>
      </p>
      <h1>{title}</h1>
      <section aria-labelledby="in-short" class="summary">
        <h2 id="in-short">{t(lang, "report.inShort")}</h2>
        {summaryLines(lang, report).map((line) => (
          <p>{line}</p>
        ))}
        <p class="meta">
          {report.noise
            ? t(lang, "report.privacy.dp", { epsilon: report.noise.epsilon, c: report.noise.maxNotesPerAuthor })
            : t(lang, "report.privacy.exact")}{" "}
          <a href="/methodology">{t(lang, "report.methodology")}</a>
        </p>
      </section>
      <h2>{t(lang, "report.details")}</h2>
      <p class="meta">
        {t(lang, "report.method", {
          estimator: t(lang, `report.estimator.${report.estimator}`),
          model: report.modelVersion,
          k: report.k,
        })}
      </p>
      <nav class="windows" aria-label="Windows">
        {(["day", "week", "campaign"] as const).map((w) =>
          w === report.window ? (
            <strong aria-current="page">{t(lang, WINDOW_NAMES[w])}</strong>
          ) : (
            <a href={`${links.path}?window=${w}&estimator=${report.estimator}`}>{t(lang, WINDOW_NAMES[w])}</a>
          ),
        )}
        <a href={`${links.path}.json${q}`}>JSON</a>
        <a href={`${links.path}.csv${q}`}>CSV</a>
      </nav>
      {whole && (
        <Breakdown
          lang={lang}
          report={report}
          window={whole}
          heading={t(lang, report.total ? "report.whole.range" : "report.whole.campaign")}
        />
      )}
      {report.window !== "campaign" && report.windows.length > 0 && (
        <section aria-labelledby="over-time">
          <h2 id="over-time">{t(lang, "report.overTime")}</h2>
          <TrendChart report={report} id="trend" lang={lang} />
          <WindowsTable lang={lang} report={report} />
        </section>
      )}
      {report.weakSignals && (
        <section aria-labelledby="signals">
          <h2 id="signals">{t(lang, "report.signals")}</h2>
          {report.weakSignals.length === 0 ? (
            <p>{t(lang, "report.signals.none")}</p>
          ) : (
            <ul>
              {report.weakSignals.map((s) => (
                <li>
                  {t(lang, "report.signal", {
                    week: s.week,
                    signal: emotionName(lang, s.signal === "positive-momentum" ? "joy" : s.signal),
                    share: percentIn(lang, s.share),
                    baseline: percentIn(lang, s.baseline),
                    p: s.adjustedPValue.toPrecision(2),
                  })}
                </li>
              ))}
            </ul>
          )}
          <p class="meta">{t(lang, "report.testUsed", { test: WEAK_SIGNAL_TEST })}</p>
        </section>
      )}
      <p class="meta">{t(lang, "report.generated", { at: report.generatedAt })}</p>
    </Layout>
  );
}
