// How report figures are made, and what they cannot say: model card, version and hash,
// measured error per label/group and per language, thresholds, estimators, privacy parameters.

import { raw } from "hono/html";
import { t, type Lang } from "../../i18n";
import type { ModelJson } from "../../emotion";
import {
  ESTIMATOR_CALIBRATION,
  MIN_DISCRIMINATION,
  WEAK_SIGNAL_TEST,
  PUBLISHED_SKEW_MS,
  noiseThresholds,
  shippedModel,
} from "../../reports";
import { Layout } from "./layout";
import { MethodologyCalibration } from "./methodology-calibration";

const CALIBRATION_NAMES: Record<string, string> = {
  "goemotions-dev": "English (GoEmotions dev split)",
  "goemotions-fr-mt-dev": "French (GoEmotions dev split, machine-translated)",
};

const f3 = (x: number) => x.toFixed(3);

function RatesTable(props: { json: ModelJson; kind: "groups" | "labels" }) {
  const sets = Object.entries(props.json.calibration);
  const names = props.kind === "groups" ? Object.keys(props.json.ekman) : props.json.labels;
  return (
    <div class="table-scroll">
      <table class="rates">
        <caption>{`${props.kind === "groups" ? "Ekman groups" : "Labels"}: threshold, then per language tpr / fpr / F1 / positives in the dev split`}</caption>
        <thead>
          <tr>
            <th scope="col">{props.kind === "groups" ? "Group" : "Label"}</th>
            <th scope="col">Threshold</th>
            {sets.map(([key]) => (
              <th scope="col" colspan={4}>
                {CALIBRATION_NAMES[key] ?? key}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr>
              <th scope="row">{name}</th>
              <td>{f3(props.kind === "groups" ? props.json.groupThresholds[name] : props.json.thresholds[name])}</td>
              {sets.map(([, cal]) => {
                const s = cal[props.kind][name];
                return s ? (
                  <>
                    <td>{f3(s.tpr)}</td>
                    <td>{f3(s.fpr)}</td>
                    <td>{f3(s.f1)}</td>
                    <td>{s.support}</td>
                  </>
                ) : (
                  <td colspan={4}>not measured</td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MethodologyPage(props: {
  json: ModelJson | null;
  cardHtml: string | null;
  k: number;
  epsilon: number | undefined;
  maxNotesPerAuthor: number;
  lang?: Lang;
}) {
  const { json } = props;
  const lang = props.lang ?? "en";
  return (
    <Layout title={t(lang, "meth.title")} lang={lang}>
      <div class="methodology">
        <h1>{t(lang, "meth.title")}</h1>
        <ThreatModel lang={lang} k={props.k} epsilon={props.epsilon} maxNotesPerAuthor={props.maxNotesPerAuthor} />
        <section aria-labelledby="model">
          <h2 id="model">{t(lang, "meth.model")}</h2>
          {json ? (
            <dl class="facts">
              <dt>{t(lang, "meth.version")}</dt>
              <dd>{json.version}</dd>
              <dt>{t(lang, "meth.file")}</dt>
              <dd>{json.onnx.file}</dd>
              <dt>SHA-256</dt>
              <dd>
                <code>{json.onnx.sha256}</code> {t(lang, "meth.checked")}
              </dd>
              <dt>{t(lang, "meth.words")}</dt>
              <dd>
                {json.vocabulary.file}, {json.vocabulary.words} words, SHA-256 <code>{json.vocabulary.sha256}</code>
              </dd>
              <dt>{t(lang, "meth.labels")}</dt>
              <dd>{`${json.labels.length} GoEmotions labels, grouped into ${Object.keys(json.ekman).length} Ekman groups (a group's score is the maximum of its labels')`}</dd>
            </dl>
          ) : (
            <p>{t(lang, "meth.noModel")}</p>
          )}
          {props.cardHtml && lang !== "en" && <p class="meta">{t(lang, "meth.cardLang")}</p>}
          {/* the project's own Markdown, sanitized with tables allowed (renderDocumentMarkdown) */}
          {props.cardHtml ? (
            <div class="card-md" lang="en">
              {raw(props.cardHtml)}
            </div>
          ) : (
            <p>{t(lang, "meth.noCard")}</p>
          )}
        </section>
        {json && (
          <section aria-labelledby="error">
            <h2 id="error">{t(lang, "meth.error")}</h2>
            <p>{`Measured on held-out dev splits of ${Object.values(json.calibration)[0]?.n ?? "?"} examples, at the thresholds below. tpr: share of true cases the model flags; fpr: share of other cases it flags anyway.`}</p>
            <RatesTable json={json} kind="groups" />
            <details>
              <summary>All 28 labels</summary>
              <RatesTable json={json} kind="labels" />
            </details>
          </section>
        )}
        <section aria-labelledby="estimators">
          <h2 id="estimators">{t(lang, "meth.estimators")}</h2>
          <ul>
            <li>
              <strong>By message</strong>: share of notes expressing the emotion. <strong>By person</strong>: each
              author counts once, with their own share of notes; one prolific author cannot move it.
            </li>
            <li>
              <strong>ACC</strong> (adjusted classify and count, Forman 2008): the share of notes over the threshold,
              corrected for the model's measured error, π = (share − fpr)/(tpr − fpr). <strong>PACC</strong> (Bella et
              al. 2010, <code>?estimator=pacc</code>): the same correction applied to the mean probability. Both are
              clipped to 0–100%.
            </li>
            <li>{`The adjustment uses the ${CALIBRATION_NAMES[ESTIMATOR_CALIBRATION]} rates for every note. When tpr − fpr is below ${MIN_DISCRIMINATION}, the correction would amplify noise tenfold: the unadjusted share is shown instead, marked "unadjusted".`}</li>
            <li>
              95% intervals: delta method combining the sampling error (author-clustered: notes of one author are not
              independent; Agresti–Coull on the effective sample size) with the uncertainty of the dev error rates.
            </li>
            <li>{`Weak signals (weekly reports): ${WEAK_SIGNAL_TEST}.`}</li>
          </ul>
        </section>
        <MethodologyCalibration lang={lang} />
        <section aria-labelledby="limits">
          <h2 id="limits">{t(lang, "meth.limits")}</h2>
          <ul>
            <li>
              They describe the notes people chose to send to this community, not public opinion: repliers are not a
              sample of anyone.
            </li>
            <li>
              The model reads text, not intent: irony, quotes and context escape it. The error rates above were measured
              on Reddit comments; on other writing (and on French, see its column) the model errs differently, and the
              correction assumes the English rates.
            </li>
            <li>
              An interval covers sampling and calibration error only, not that mismatch; a share near 0% or 100% is
              often a clipped estimate.
            </li>
            <li>
              By message and by person answer different questions; neither is "the" sentiment. A weak signal is a prompt
              to read the replies, not evidence of a cause.
            </li>
            <li>
              Notes are counted from when they are scored by this model version; edits replace, deletions remove them.
            </li>
          </ul>
        </section>
      </div>
    </Layout>
  );
}

/**
 * What the noise costs, measured on the shipped rates for this server's ε (src/reports/publication/noise-cost.ts):
 * from which campaign size the noise stops dominating, and from which the summary can name a share.
 */
function NoiseCostItem(props: { lang: Lang; epsilon: number; c: number }) {
  const model = shippedModel()?.info;
  if (!model) return null;
  const at = (view: "message" | "person") =>
    noiseThresholds(model, props.epsilon, props.c, { language: "en", group: "anger", truth: 0.2, view, perAuthor: 2 });
  const [m, p] = [at("message"), at("person")];
  const n = (x: number | null) => (x === null ? "–" : x.toLocaleString(props.lang));
  return (
    <li>
      {t(props.lang, "meth.threat.cost", {
        epsilon: props.epsilon,
        dominates: n(m.noiseUnderHalf),
        dominatesPerson: n(p.noiseUnderHalf),
        informative: n(m.informativeNoisy),
        informativePerson: n(p.informativeNoisy),
        exact: n(m.informativeExact),
        exactPerson: n(p.informativeExact),
      })}
    </li>
  );
}

/** The threat model in plain words, first: what a reader of the reports can and cannot learn. */
function ThreatModel(props: { lang: Lang; k: number; epsilon: number | undefined; maxNotesPerAuthor: number }) {
  const { lang, k, epsilon } = props;
  const c = props.maxNotesPerAuthor;
  return (
    <section aria-labelledby="privacy">
      <h2 id="privacy">{t(lang, "meth.threat")}</h2>
      <p>{t(lang, "meth.threat.who")}</p>
      <ul>
        {epsilon === undefined ? (
          <li>{t(lang, "meth.threat.exact")}</li>
        ) : (
          <>
            <li>{t(lang, "meth.threat.noise", { epsilon, c })}</li>
            <li>{t(lang, "meth.threat.same")}</li>
            <li>{t(lang, "meth.threat.closed", { skew: PUBLISHED_SKEW_MS / 60_000 })}</li>
            <NoiseCostItem lang={lang} epsilon={epsilon} c={c} />
          </>
        )}
        <li>{t(lang, "meth.threat.k", { k })}</li>
        <li>{t(lang, "meth.threat.hidden")}</li>
        {epsilon !== undefined && <li>{t(lang, "meth.threat.limits")}</li>}
      </ul>
    </section>
  );
}
