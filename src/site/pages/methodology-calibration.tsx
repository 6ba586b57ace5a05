// Methodology page, calibration part: the error rates per note language and their uncertainty,
// how intervals are made from them, and what `npm run report:eval` measured (coverage and error
// of the published shares on labelled posts sent through the real inbox).

import { t, type Lang } from "../../i18n";
import {
  DEFAULT_ESTIMATOR,
  emotionName,
  MIN_DISCRIMINATION,
  shippedReportEval,
  type ReportEval,
  shippedModel,
  type LanguageCalibration,
} from "../../reports";

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${Math.round(100 * x)}%`;
const sd = (v: number) => Math.sqrt(v).toFixed(3);

function LanguageRatesTable(props: { cal: LanguageCalibration; groups: string[] }) {
  const langs = [
    ["en", "English"],
    ["fr", "French"],
  ] as const;
  return (
    <table class="rates">
      <caption>
        Ekman groups: per language, tpr and fpr with (in brackets) the standard deviation of the model's own uncertainty
        between sources
      </caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          {langs.map(([, name]) => (
            <th scope="col" colspan={2}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.groups.map((g) => (
          <tr>
            <th scope="row">{g}</th>
            {langs.map(([l]) => {
              const s = props.cal.languages[l].groups[g];
              return (
                <>
                  <td>{`${f3(s.tpr)} (±${sd(s.modelVariance.tpr)})`}</td>
                  <td>{`${f3(s.fpr)} (±${sd(s.modelVariance.fpr)})`}</td>
                </>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Summary rows of the evaluation table: every share, then those of French-only campaigns (named "fr…"). */
const SUMMARY_ROWS: [string, (campaign: string) => boolean][] = [
  ["All campaigns", () => true],
  ["French-only campaigns", (campaign) => campaign.startsWith("fr")],
];

function EvaluationTable(props: { evaluation: ReportEval }) {
  const { evaluation } = props;
  const estimators = Object.keys(evaluation.estimators);
  return (
    <table class="rates">
      <caption>{`Published share against the annotated share, by message, ${evaluation.postsPerCampaign} posts from ${evaluation.authorsPerCampaign} accounts per campaign (${evaluation.path})`}</caption>
      <thead>
        <tr>
          <th scope="col">Campaign</th>
          {estimators.map((e) => (
            <th scope="col" colspan={2}>{`${e.toUpperCase()}: mean abs. error, intervals containing the truth`}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {evaluation.campaigns.map((c) => (
          <tr>
            <th scope="row">{c.description}</th>
            {estimators.map((e) => {
              const r = evaluation.estimators[e].campaigns[c.name];
              return (
                <>
                  <td>{f3(r.mae)}</td>
                  <td>{pct(r.coverage)}</td>
                </>
              );
            })}
          </tr>
        ))}
        {SUMMARY_ROWS.map(([label, keep]) => (
          <tr>
            <th scope="row">{label}</th>
            {estimators.map((e) => {
              const shares = Object.entries(evaluation.estimators[e].campaigns)
                .filter(([name]) => keep(name))
                .flatMap(([, c]) => Object.values(c.groups));
              const inside = shares.filter((x) => x.low <= x.truth && x.truth <= x.high).length;
              const whole = shares.filter((x) => x.low <= 0 && x.high >= 1).length;
              const mae = shares.reduce((a, x) => a + Math.abs(x.estimate - x.truth), 0) / (shares.length || 1);
              return (
                <>
                  <td>{f3(mae)}</td>
                  <td>{`${inside} of ${shares.length} shares (${whole} intervals 0–100%)`}</td>
                </>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MethodologyCalibration(props: { lang?: Lang } = {}) {
  const lang = props.lang ?? "en";
  const shipped = shippedModel();
  const cal = shipped?.languages ?? null;
  const evaluation = shippedReportEval(shipped?.json.version);
  if (!shipped || !cal) return <></>;
  const fr = cal.frenchPerPost;
  return (
    <section aria-labelledby="calibration">
      <h2 id="calibration">{t(lang, "meth.cal")}</h2>
      <ul>
        <li>{t(lang, "meth.cal.perLanguage")}</li>
        <li>
          {t(lang, "meth.cal.sources", {
            en: cal.languages.en.sources.join("; "),
            fr: cal.languages.fr.sources.join("; "),
            folds: cal.folds.count,
          })}
        </li>
        <li>{t(lang, "meth.cal.interval")}</li>
        <li>
          {t(lang, "meth.cal.recalibrated", {
            groups: Object.keys(cal.languages.fr.recalibration?.groups ?? {})
              .map((g) => emotionName(lang, g))
              .join(", "),
          })}
        </li>
        <li>{t(lang, "meth.cal.unadjusted", { min: MIN_DISCRIMINATION })}</li>
      </ul>
      <LanguageRatesTable cal={cal} groups={Object.keys(shipped.json.ekman)} />
      {evaluation ? (
        <>
          <p>
            {t(lang, "meth.cal.measured", {
              command: evaluation.generatedBy,
              estimator: DEFAULT_ESTIMATOR.toUpperCase(),
            })}
          </p>
          <EvaluationTable evaluation={evaluation} />
        </>
      ) : null}
      <p>
        {t(lang, "meth.cal.perPost", {
          crossFitted: f3(fr.crossFittedThresholds.frenchReading),
          shipped: f3(fr.shippedThresholds.frenchReading),
          baseline: f3(fr.everyGroupBaseline),
          tried: Object.entries(fr.tried ?? {})
            .map(([rule, f1]) => `${rule}: ${f3(f1)}`)
            .join("; "),
        })}
      </p>
    </section>
  );
}
