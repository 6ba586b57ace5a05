/**
 * npm run report:eval -- --data ../shared/datasets [--quick] [--size 1500] [--authors 40]
 *                        [--offline] [--out models/report-eval.json]
 *
 * Are the published shares true? Labelled posts are sent as replies to campaigns through the
 * real inbox (a real server on 127.0.0.1, each activity signed by an in-process Mastodon-like
 * peer), then the public campaign report JSON is read, by message, with each estimator, and
 * every group's published share and 95% interval is compared with the share the annotators gave.
 *
 * Campaigns (compositions):
 *  - fr: EmoDIFT French tweets of one fold, as they are (anger-heavy, ~40%);
 *  - fr-low-anger: another fold, resampled so that anger is about half as frequent;
 *  - fr-calm: a fourth fold, neutral posts drawn 3 times as often and anger posts 2 times less
 *    (a community that is not in crisis: the shift a French report must see, in other groups too);
 *  - en: GoEmotions test comments (English, never used for fitting);
 *  - mixed: half French (a third fold), half English.
 * French posts are out-of-fold: the report is read with French rates measured without that fold
 * (models/emotion-calibration.json → folds). Posts are drawn with replacement when a fold has
 * fewer than the campaign needs; the truth is the share among the posts actually sent.
 *
 * --all-folds: the four French compositions again for every other fold (20 French campaigns).
 * --offline skips the server: the same notes scored by the same model, through reportFromRows
 * (the recomputation path, identical to the rollups by test). --quick: 400 posts per campaign.
 * The figures of the last run are written to --out for the methodology page and the README.
 */
import { writeFileSync } from "node:fs";
import { parseArgs as parseNodeArgs } from "node:util";
import { loadEmotionModel, type EmotionModel, MODELS_DIR } from "../../src/emotion";
import { mulberry32 } from "../../src/random";
import {
  CALIBRATION_FOLDS,
  DEFAULT_ESTIMATOR,
  ESTIMATOR_CALIBRATION,
  foldOf,
  modelInfoFromJson,
  reportFromRows,
  type AdjustedEstimator,
  type Report,
  type ScoredRow,
  shippedModel,
  useCalibrationFold,
} from "../../src/reports";
import { groupGold } from "../model/calibration";
import { goEmotionsPath, loadEmodift, loadSplit } from "../model/data";
import { sendCampaigns } from "./inbox";

export interface Post {
  text: string;
  lang: "fr" | "en";
  /** Ekman group → annotated present; groups the source has no column for are absent. */
  gold: Record<string, boolean>;
}

export interface Campaign {
  name: string;
  description: string;
  /** French posts' fold: the report is read with rates measured without it (null: no French). */
  fold: number | null;
  posts: Post[];
}

interface GroupResult {
  truth: number;
  estimate: number;
  low: number;
  high: number;
  method: string;
}

/** n posts drawn with replacement, each with probability ∝ weight(post). */
function draw(pool: Post[], n: number, random: () => number, weight: (p: Post) => number = () => 1): Post[] {
  const cum: number[] = [];
  let total = 0;
  for (const p of pool) cum.push((total += weight(p)));
  return Array.from({ length: n }, () => {
    const x = random() * total;
    let lo = 0,
      hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return pool[lo];
  });
}

function buildCampaigns(data: string, model: EmotionModel, size: number, allFolds: boolean): Campaign[] {
  const { labels, meta } = model;
  const random = mulberry32(20261201); // every run sends the same posts
  const emo = loadEmodift(data);
  const byFold = (k: number): Post[] =>
    emo.filter((r) => foldOf(r.num) === k).map((r) => ({ text: r.text, lang: "fr", gold: { ...r.groups } }));
  const test = loadSplit(goEmotionsPath(data, "test"), labels.length);
  const groups = Object.keys(meta.ekman);
  const golds = groups.map((g) =>
    groupGold(
      test.map((e) => e.y),
      labels,
      meta.ekman[g],
    ),
  );
  const english: Post[] = test.map((e, i) => ({
    text: e.text,
    lang: "en",
    gold: Object.fromEntries(groups.map((g, k) => [g, golds[k][i]])),
  }));
  const french = (k: number, suffix: string): Campaign[] => [
    {
      name: `fr${suffix}`,
      description: `French tweets (EmoDIFT fold ${k}, as they are: anger-heavy)`,
      fold: k,
      posts: draw(byFold(k), size, random),
    },
    {
      name: `fr-low-anger${suffix}`,
      description: `French tweets (fold ${(k + 1) % CALIBRATION_FOLDS}), anger posts drawn 2.5 times less often`,
      fold: (k + 1) % CALIBRATION_FOLDS,
      posts: draw(byFold((k + 1) % CALIBRATION_FOLDS), size, random, (p) => (p.gold.anger ? 0.4 : 1)),
    },
    {
      name: `fr-calm${suffix}`,
      description: `French tweets (fold ${(k + 3) % CALIBRATION_FOLDS}), neutral posts drawn 3 times as often, anger posts 2 times less`,
      fold: (k + 3) % CALIBRATION_FOLDS,
      posts: draw(byFold((k + 3) % CALIBRATION_FOLDS), size, random, (p) =>
        p.gold.neutral ? 3 : p.gold.anger ? 0.5 : 1,
      ),
    },
    {
      name: `mixed${suffix}`,
      description: `half French tweets (fold ${(k + 2) % CALIBRATION_FOLDS}), half English comments`,
      fold: (k + 2) % CALIBRATION_FOLDS,
      posts: [
        ...draw(byFold((k + 2) % CALIBRATION_FOLDS), size >> 1, random),
        ...draw(english, size - (size >> 1), random),
      ],
    },
  ];
  const [fr, frLow, frCalm, mixed] = french(0, "");
  const more = allFolds
    ? Array.from({ length: CALIBRATION_FOLDS - 1 }, (_, k) => french(k + 1, `-${k + 1}`)).flat()
    : [];
  return [
    fr,
    frLow,
    frCalm,
    { name: "en", description: "English comments (GoEmotions test)", fold: null, posts: draw(english, size, random) },
    mixed,
    ...more,
  ];
}

/** Offline: the same notes scored by the same model, through the recomputation path. */
async function offlineReports(
  campaigns: Campaign[],
  model: EmotionModel,
  authors: number,
  estimators: AdjustedEstimator[],
): Promise<Map<string, Report>> {
  const shipped = shippedModel()!;
  const out = new Map<string, Report>();
  for (const c of campaigns) {
    const scores = await model.classify(c.posts.map((p) => ({ text: p.text, lang: p.lang })));
    const rows: ScoredRow[] = [];
    c.posts.forEach((p, i) => {
      const s = scores[i];
      if (!s) return;
      rows.push({
        noteId: `${c.name}-${i}`,
        authorId: `a${i % authors}`,
        campaignId: c.name,
        communityId: "eval",
        publishedAt: new Date(Date.UTC(2026, 0, 1)),
        scores: s.scores,
        language: p.lang,
      });
    });
    const info = modelInfoFromJson(
      shipped.json,
      ESTIMATOR_CALIBRATION,
      shipped.languages && { calibration: shipped.languages, fold: c.fold },
    );
    for (const estimator of estimators) {
      out.set(
        `${c.name}/${estimator}`,
        reportFromRows(rows, info, { window: "campaign", estimator, generatedAt: new Date(0), title: c.name }),
      );
    }
  }
  return out;
}

function results(report: Report, c: Campaign): Record<string, GroupResult> {
  const w = report.windows[0];
  if (!w || w.suppressed) throw new Error(`campaign ${c.name}: report window suppressed`);
  const out: Record<string, GroupResult> = {};
  for (const g of report.groups) {
    const known = c.posts.filter((p) => g in p.gold);
    if (known.length < c.posts.length) continue; // a group the French source has no column for
    const view = w.groups[g].byMessage;
    if ("suppressed" in view)
      throw new Error(`campaign ${c.name}: by-message figures withheld (is ENSEMBLE_REPORT_EPSILON set?)`);
    const e = view.adjusted;
    out[g] = {
      truth: known.filter((p) => p.gold[g]).length / known.length,
      estimate: e.estimate,
      low: e.low,
      high: e.high,
      method: e.method,
    };
  }
  return out;
}

const f3 = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const { values } = parseNodeArgs({
    options: {
      data: { type: "string", default: "../shared/datasets" },
      quick: { type: "boolean", default: false },
      size: { type: "string" },
      authors: { type: "string", default: "40" },
      offline: { type: "boolean", default: false },
      "all-folds": { type: "boolean", default: false },
      out: { type: "string", default: `${MODELS_DIR}report-eval.json` },
    },
  });
  const size = Number(values.size ?? (values.quick ? 400 : 1500));
  const authors = Number(values.authors);
  const model = await loadEmotionModel();
  const campaigns = buildCampaigns(values.data!, model, size, values["all-folds"]!);
  const estimators: AdjustedEstimator[] = ["acc", "pacc"];
  const started = Date.now();
  const reports = values.offline
    ? await offlineReports(campaigns, model, authors, estimators)
    : await sendCampaigns(campaigns, authors, estimators, (fold) => useCalibrationFold(fold));
  const summary: Record<
    string,
    {
      mae: number;
      coverage: number;
      groups: number;
      campaigns: Record<string, { mae: number; coverage: number; groups: Record<string, GroupResult> }>;
    }
  > = {};
  for (const estimator of estimators) {
    const errs: number[] = [];
    let inside = 0;
    const perCampaign: (typeof summary)[string]["campaigns"] = {};
    console.log(
      `\n${estimator.toUpperCase()} (by message)${estimator === DEFAULT_ESTIMATOR ? ", the published default" : ""}`,
    );
    for (const c of campaigns) {
      const r = results(reports.get(`${c.name}/${estimator}`)!, c);
      console.log(`  ${c.name}: ${c.posts.length} posts, ${authors} authors: ${c.description}`);
      console.log(
        `    ${"group".padEnd(9)} ${"truth".padStart(6)} ${"published".padStart(10)}  95% interval     inside`,
      );
      const cErrs: number[] = [];
      let cInside = 0;
      for (const [g, x] of Object.entries(r)) {
        const ok = x.low <= x.truth && x.truth <= x.high;
        cErrs.push(Math.abs(x.estimate - x.truth));
        if (ok) cInside++;
        console.log(
          `    ${g.padEnd(9)} ${f3(x.truth).padStart(6)} ${f3(x.estimate).padStart(10)}  [${f3(x.low)}, ${f3(x.high)}]  ${ok ? "yes" : "NO "}${x.method !== estimator ? ` (${x.method})` : ""}`,
        );
      }
      const mae = cErrs.reduce((a, b) => a + b, 0) / cErrs.length;
      console.log(`    mean absolute error ${f3(mae)}; ${cInside}/${cErrs.length} intervals contain the truth`);
      perCampaign[c.name] = { mae, coverage: cInside / cErrs.length, groups: r };
      errs.push(...cErrs);
      inside += cInside;
    }
    summary[estimator] = {
      mae: errs.reduce((a, b) => a + b, 0) / errs.length,
      coverage: inside / errs.length,
      groups: errs.length,
      campaigns: perCampaign,
    };
    console.log(
      `  all campaigns: mean absolute error ${f3(summary[estimator].mae)}, coverage ${inside}/${errs.length} (${(100 * summary[estimator].coverage).toFixed(0)}%)`,
    );
  }
  const file = {
    generatedBy: `npm run report:eval --${values.quick ? " --quick" : ""}${values.offline ? " --offline" : ""}${values["all-folds"] ? " --all-folds" : ""}${values.size ? ` --size ${size}` : ""}`,
    model: model.version,
    path: values.offline ? "offline (reportFromRows)" : "real inbox, signed replies, public campaign report JSON",
    postsPerCampaign: size,
    authorsPerCampaign: authors,
    defaultEstimator: DEFAULT_ESTIMATOR,
    campaigns: campaigns.map((c) => ({ name: c.name, description: c.description, posts: c.posts.length })),
    estimators: summary,
  };
  writeFileSync(values.out!, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`\n${Math.round((Date.now() - started) / 1000)} s; figures written to ${values.out}`);
}

await main();
