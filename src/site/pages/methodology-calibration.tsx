// Methodology page, calibration part: the error rates per note language and their uncertainty,
// how intervals are made from them, and what `npm run report:eval` measured (coverage and error
// of the published shares on labelled posts sent through the real inbox).

import {
  DEFAULT_ESTIMATOR,
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

export function MethodologyCalibration() {
  const shipped = shippedModel();
  const cal = shipped?.languages ?? null;
  const evaluation = shippedReportEval(shipped?.json.version);
  if (!shipped || !cal) return <></>;
  const fr = cal.frenchPerPost;
  return (
    <section aria-labelledby="calibration">
      <h2 id="calibration">Error rates per language, and how true the published shares are</h2>
      <ul>
        <li>
          Each note is corrected with the error rates measured on labelled posts of its own language (its language tag;
          notes in another language or untagged use the mean of the two, with their difference added to the
          uncertainty). A report mixes the rates by its notes' language composition.
        </li>
        <li>{`English: ${cal.languages.en.sources.join("; ")}. French: ${cal.languages.fr.sources.join("; ")}. The French social posts (EmoDIFT, tweets about the 2019 Lubrizol fire in Rouen) are used for calibration only, cross-fitted in ${cal.folds.count} folds: every figure reported on them below is out-of-fold.`}</li>
        <li>
          The 95% interval adds the model's own uncertainty to the sampling error: how much each rate moves between
          sources (English dev and test; French tweets and machine-translated French). That part does not shrink with
          more notes. The interval is Fieller's interval for the corrected share, which stays honest when the model
          tells an emotion apart poorly.
        </li>
        <li>{`French notes' probabilities are recalibrated first, for each emotion measured on the French tweets (${Object.keys(cal.languages.fr.recalibration?.groups ?? {}).join(", ")}): Platt scaling of the model's score, fitted on those tweets (cross-fitted: each fold's tweets are read with a map and rates fitted without them). The model's probabilities were calibrated on English comments; on French tweets it gave neutral 0.39 on average where annotators saw 0.15. After the map, the mean probability of French notes means what it says on such posts. Decisions over the threshold (ACC, per-post labels) are unchanged.`}</li>
        <li>{`Where the model cannot tell an emotion apart in a language (tpr − fpr below ${MIN_DISCRIMINATION}), the share cannot be corrected: the unadjusted share is shown, marked "unadjusted", and its interval reaches as far as the data allow, often 0–100%. On French posts this is the case for every emotion measured on the tweets: the published share is the recalibrated mean probability, which stays close to the share in the French calibration tweets whatever the campaign (a campaign with half as much anger still reads about 0.4), and the interval says that the model cannot tell how much a French campaign differs from them. Read French shares as "like the calibration tweets, as far as the model can see", not as a measurement.`}</li>
      </ul>
      <LanguageRatesTable cal={cal} groups={Object.keys(shipped.json.ekman)} />
      {evaluation ? (
        <>
          <p>{`Measured with ${evaluation.generatedBy}: labelled posts sent as replies to campaigns, then the public campaign report read back. Reports publish ${DEFAULT_ESTIMATOR.toUpperCase()} by default, chosen on this measured error and coverage.`}</p>
          <EvaluationTable evaluation={evaluation} />
        </>
      ) : null}
      <p>{`Per post, on French tweets, the model is weak: Ekman macro-F1 ${f3(fr.crossFittedThresholds.frenchReading)} with French thresholds cross-fitted on the tweets (${f3(fr.shippedThresholds.frenchReading)} at the English thresholds), against ${f3(fr.everyGroupBaseline)} for answering "every emotion" to every post. The recalibration map does not change which posts rank higher, so not this figure either. Also measured, cross-fitted, and not used: ${Object.entries(
        fr.tried ?? {},
      )
        .map(([rule, f1]) => `${rule}: ${f3(f1)}`)
        .join("; ")}. The shares above are what it can be trusted for, within their intervals.`}</p>
    </section>
  );
}
