/** @jsxImportSource hono/jsx */
// Server-rendered SVG charts (no JavaScript). Each chart is role="img" labelled by its <title>
// and <desc>, and is followed by a visually hidden table with the same figures as its text
// alternative (the page's CSS must define .visually-hidden). All text goes through hono/jsx,
// which escapes it: titles are user input. Suppressed figures are shown as such, never as 0.

import { t, type Lang } from "../../i18n";
import {
  CAMPAIGN_WINDOW,
  type Estimate,
  emotionName,
  isSuppressed,
  percentIn,
  type Report,
  type SignalName,
  type Suppressed,
  suppressedIn,
  type TargetEstimates,
  TOTAL_KEY,
  type ViewEstimates,
  WEAK_SIGNAL_TARGETS,
  type WindowReport,
} from "../../reports";

const COLORS = { message: "#4c72b0", person: "#dd8452" } as const;
const SERIES: Record<SignalName, { color: string; dash: string }> = {
  anger: { color: "#c44e52", dash: "" },
  fear: { color: "#8172b2", dash: "6 3" },
  "positive-momentum": { color: "#55a868", dash: "2 3" },
};

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const formatEstimate = (e: Estimate) => `${percent(e.estimate)} (95% CI ${percent(e.low)}–${percent(e.high)})`;

function windowLabel(report: Report, w: WindowReport): string {
  if (w.key === CAMPAIGN_WINDOW && report.window === "campaign") return "whole campaign";
  if (w.key === TOTAL_KEY) return `whole range ${w.start?.slice(0, 10) ?? ""} to ${w.end?.slice(0, 10) ?? ""}`;
  return report.window === "week" ? `week of ${w.key}` : w.key;
}

const estimatorName = (report: Report) =>
  report.estimator === "acc" ? "adjusted count (ACC)" : "probabilistic adjusted count (PACC)";

function A11yHeader(props: { id: string; title: string; desc: string }) {
  return (
    <>
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.desc}</desc>
    </>
  );
}

const svgProps = (id: string, width: number, height: number) => ({
  xmlns: "http://www.w3.org/2000/svg",
  role: "img",
  "aria-labelledby": `${id}-title ${id}-desc`,
  viewBox: `0 0 ${width} ${height}`,
  width: "100%",
});

// ---- Group shares: horizontal bars with interval whiskers, by message and by person side by side.

const BAR = { left: 110, width: 420, row: 40, bar: 13, top: 44 } as const;
const xOf = (share: number) => BAR.left + share * BAR.width;

function Bar(props: {
  y: number;
  color: string;
  label: string;
  view: ViewEstimates | Suppressed;
  report: Report;
  lang: Lang;
}) {
  const { y, view } = props;
  if (isSuppressed(view)) {
    return (
      <text
        x={BAR.left}
        y={y + BAR.bar - 2}
        font-size="11"
        fill="#555"
      >{`${props.label}: ${suppressedIn(props.lang, props.report, view)}`}</text>
    );
  }
  const e = view.adjusted;
  const mid = y + BAR.bar / 2;
  return (
    <g>
      <rect x={BAR.left} y={y} width={e.estimate * BAR.width} height={BAR.bar} fill={props.color} />
      <line x1={xOf(e.low)} x2={xOf(e.high)} y1={mid} y2={mid} stroke="#222" stroke-width="1.2" />
      <line x1={xOf(e.low)} x2={xOf(e.low)} y1={y + 2} y2={y + BAR.bar - 2} stroke="#222" />
      <line x1={xOf(e.high)} x2={xOf(e.high)} y1={y + 2} y2={y + BAR.bar - 2} stroke="#222" />
      <text x={xOf(e.high) + 4} y={y + BAR.bar - 2} font-size="11">
        {percentIn(props.lang, e.estimate)}
      </text>
    </g>
  );
}

function viewText(lang: Lang, report: Report, v: ViewEstimates | Suppressed): string {
  return isSuppressed(v) ? suppressedIn(lang, report, v) : formatEstimate(v.adjusted);
}

export function GroupSharesChart(props: { report: Report; window: WindowReport; id: string; lang?: Lang }) {
  const { report, window: w, id } = props;
  const lang = props.lang ?? "en";
  const byMessage = t(lang, "report.byMessage");
  const byPerson = t(lang, "report.byPerson");
  const title = `${report.title}: emotion groups, ${windowLabel(report, w)}`;
  const hidden = w.suppressed ? suppressedIn(lang, report, w) : null;
  const desc = w.suppressed
    ? `No figures: ${hidden}.`
    : `Share of notes (by message) and of authors (by person) expressing each emotion group, ${estimatorName(report)} with 95% intervals; ${w.authors} authors; model ${report.modelVersion}.`;
  const rows: [string, TargetEstimates | null][] = report.groups.map((g) => [g, w.suppressed ? null : w.groups[g]]);
  const height = BAR.top + rows.length * BAR.row + 10;
  return (
    <figure class="report-chart">
      {/* biome-ignore lint/a11y/noSvgWithoutTitle: A11yHeader renders the <title> and <desc> */}
      <svg {...svgProps(id, 640, height)}>
        <A11yHeader id={id} title={title} desc={desc} />
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> of shapes is never focusable; the <desc> says it in words */}
        <g aria-hidden="true">
          <rect x={BAR.left} y="8" width="12" height="12" fill={COLORS.message} />
          <text x={BAR.left + 16} y="18" font-size="12">
            {byMessage}
          </text>
          <rect x={BAR.left + 110} y="8" width="12" height="12" fill={COLORS.person} />
          <text x={BAR.left + 126} y="18" font-size="12">
            {byPerson}
          </text>
          {[0, 0.25, 0.5, 0.75, 1].map((t) => (
            <>
              <line x1={xOf(t)} x2={xOf(t)} y1={BAR.top - 8} y2={height - 10} stroke="#ddd" />
              <text x={xOf(t)} y={BAR.top - 12} font-size="10" text-anchor="middle">
                {percent(t)}
              </text>
            </>
          ))}
          {rows.map(([group, target], i) => {
            const y = BAR.top + i * BAR.row;
            return (
              <g>
                <text x={BAR.left - 8} y={y + BAR.bar + 4} font-size="12" text-anchor="end">
                  {emotionName(lang, group)}
                </text>
                {target ? (
                  <>
                    <Bar
                      y={y}
                      color={COLORS.message}
                      label={byMessage}
                      view={target.byMessage}
                      report={report}
                      lang={lang}
                    />
                    <Bar
                      y={y + BAR.bar + 3}
                      color={COLORS.person}
                      label={byPerson}
                      view={target.byPerson}
                      report={report}
                      lang={lang}
                    />
                  </>
                ) : (
                  <text x={BAR.left} y={y + BAR.bar + 4} font-size="11" fill="#555">
                    {hidden}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <table class="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, "report.emotion")}</th>
            <th scope="col">{byMessage}</th>
            <th scope="col">{byPerson}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([group, target]) => (
            <tr>
              <th scope="row">{emotionName(lang, group)}</th>
              <td>{target ? viewText(lang, report, target.byMessage) : hidden}</td>
              <td>{target ? viewText(lang, report, target.byPerson) : hidden}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

// ---- Trend: step lines per window for anger, fear and joy (by person), with weak-signal markers.

const TREND = { left: 48, right: 20, top: 30, plot: 200, width: 640 } as const;

export function TrendChart(props: { report: Report; id: string; lang?: Lang }) {
  const { report, id } = props;
  const lang = props.lang ?? "en";
  const windows = report.windows;
  const signals = Object.keys(WEAK_SIGNAL_TARGETS) as SignalName[];
  const point = (w: WindowReport, s: SignalName): Estimate | null =>
    w.suppressed ? null : w.groups[WEAK_SIGNAL_TARGETS[s].name].byPerson.adjusted;
  const highs = windows.flatMap((w) => signals.map((s) => point(w, s)?.high ?? 0));
  const yMax = Math.max(0.1, Math.ceil(Math.max(0, ...highs) * 10) / 10);
  const step = (TREND.width - TREND.left - TREND.right) / Math.max(1, windows.length - 1);
  const x = (i: number) => TREND.left + i * step;
  const y = (share: number) => TREND.top + TREND.plot * (1 - share / yMax);
  const flagged = (week: string, s: SignalName) => report.weakSignals?.find((f) => f.week === week && f.signal === s);
  const path = (s: SignalName) => {
    let d = "";
    windows.forEach((w, i) => {
      const p = point(w, s);
      const prev = i > 0 ? point(windows[i - 1], s) : null;
      if (!p) return;
      d += prev ? ` H${x(i)} V${y(p.estimate)}` : ` M${x(i)} ${y(p.estimate)}`;
    });
    return d.trim();
  };
  const labelEvery = Math.max(1, Math.ceil(windows.length / 12));
  const title = `${report.title}: anger, fear and joy over time`;
  const flags = report.weakSignals ?? [];
  const desc =
    `Share of authors expressing anger, fear and joy per ${report.window}, ${estimatorName(report)}; ` +
    (flags.length
      ? `weak signals: ${flags.map((f) => `${f.signal} in week of ${f.week}`).join(", ")}.`
      : "no weak signal flagged.") +
    " Suppressed windows are gaps.";
  const height = TREND.top + TREND.plot + 60;
  return (
    <figure class="report-chart">
      {/* biome-ignore lint/a11y/noSvgWithoutTitle: A11yHeader renders the <title> and <desc> */}
      <svg {...svgProps(id, TREND.width, height)}>
        <A11yHeader id={id} title={title} desc={desc} />
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> of shapes is never focusable; the <desc> says it in words */}
        <g aria-hidden="true">
          {[0, yMax / 2, yMax].map((t) => (
            <>
              <line x1={TREND.left} x2={TREND.width - TREND.right} y1={y(t)} y2={y(t)} stroke="#ddd" />
              <text x={TREND.left - 6} y={y(t) + 4} font-size="10" text-anchor="end">
                {percent(t)}
              </text>
            </>
          ))}
          {windows.map((w, i) => (
            <>
              {i % labelEvery === 0 && (
                <text x={x(i)} y={TREND.top + TREND.plot + 16} font-size="10" text-anchor="middle">
                  {w.key.slice(5)}
                </text>
              )}
              {w.suppressed && (
                <text x={x(i)} y={TREND.top + TREND.plot - 4} font-size="9" text-anchor="middle" fill="#777">
                  suppressed
                </text>
              )}
            </>
          ))}
          {signals.map((s, j) => (
            <g>
              <path
                d={path(s)}
                fill="none"
                stroke={SERIES[s].color}
                stroke-width="2"
                stroke-dasharray={SERIES[s].dash || undefined}
              />
              {windows.map((w, i) => {
                const p = point(w, s);
                if (!p) return null;
                return flagged(w.key, s) ? (
                  <polygon
                    points={`${x(i)},${y(p.estimate) - 9} ${x(i) - 6},${y(p.estimate) + 3} ${x(i) + 6},${y(p.estimate) + 3}`}
                    fill={SERIES[s].color}
                    stroke="#000"
                  />
                ) : (
                  <circle cx={x(i)} cy={y(p.estimate)} r="2.5" fill={SERIES[s].color} />
                );
              })}
              <line
                x1={TREND.left + j * 170}
                x2={TREND.left + j * 170 + 24}
                y1={height - 14}
                y2={height - 14}
                stroke={SERIES[s].color}
                stroke-width="2"
                stroke-dasharray={SERIES[s].dash || undefined}
              />
              <text x={TREND.left + j * 170 + 30} y={height - 10} font-size="11">
                {emotionName(lang, WEAK_SIGNAL_TARGETS[s].name)}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <table class="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{report.window === "week" ? "Week of" : "Window"}</th>
            {signals.map((s) => (
              <th scope="col">{`${emotionName(lang, WEAK_SIGNAL_TARGETS[s].name)} (${t(lang, "report.byPerson")})`}</th>
            ))}
            <th scope="col">Weak signals</th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => (
            <tr>
              <th scope="row">{w.key}</th>
              {signals.map((s) => {
                const p = point(w, s);
                return <td>{p ? formatEstimate(p) : w.suppressed ? suppressedIn(lang, report, w) : ""}</td>;
              })}
              <td>
                {signals
                  .filter((s) => flagged(w.key, s))
                  .map((s) => `${s} rising (p = ${flagged(w.key, s)!.adjustedPValue.toPrecision(2)}, adjusted)`)
                  .join("; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
