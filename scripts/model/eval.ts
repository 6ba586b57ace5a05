/**
 * npm run model:eval -- --data ../shared/datasets
 * Scores the shipped model (models/emotion.json + .onnx, through the runtime in src/emotion)
 * on GoEmotions test and on the French EmoDIFT dev tweets. Nothing here feeds back into the
 * model: thresholds were fixed on GoEmotions dev at training time.
 */
import { resolve } from "node:path";
import { loadEmotionModel, openEmotionModel, type EmotionModel } from "../../src/emotion/model";
import { adjustPosterior, emPrior } from "../../src/emotion/prior-shift";
import { isBlankNote } from "../../src/emotion/plain-text";
import { parseArgs } from "./args";
import { groupGold, groupScores } from "./calibration";
import { goEmotionsPath, loadEmodift, loadMeta, loadSplit, EMODIFT_GROUPS, type EmodiftRow } from "./data";
import { adjustedClassifyAndCount, probabilisticAdjustedClassifyAndCount, modelInfoFromJson } from "../../src/reports";
import { mean, prf } from "./metrics";

const fmt = (x: number) => x.toFixed(3);

async function probabilities(model: EmotionModel, texts: string[]): Promise<Float32Array[]> {
  // A blank note gets all-zero scores: it is predicted to carry no label, as classify() would.
  const ids = texts.map((t) => (isBlankNote(t) ? new Uint32Array(0) : model.features(t)));
  const probs = await model.probabilities(ids.filter((x) => x.length > 0));
  let k = 0;
  return ids.map((x) => (x.length > 0 ? probs[k++] : new Float32Array(model.labels.length)));
}

function decide(probs: Float32Array[], labels: readonly string[], thresholds: Record<string, number>): boolean[][] {
  return probs.map((p) => labels.map((l, k) => p[k] >= thresholds[l]));
}

/** A group is predicted when any of its member labels is. */
function groupPred(pred: boolean[][], labels: readonly string[], members: string[]): boolean[] {
  const idx = members.map((m) => labels.indexOf(m));
  return pred.map((row) => idx.some((k) => row[k]));
}

function table(rows: [string, { precision: number; recall: number; f1: number; support: number }][]): void {
  console.log(`  ${"".padEnd(15)} ${"P".padStart(6)} ${"R".padStart(6)} ${"F1".padStart(6)} ${"n".padStart(6)}`);
  for (const [name, m] of rows)
    console.log(
      `  ${name.padEnd(15)} ${fmt(m.precision).padStart(6)} ${fmt(m.recall).padStart(6)} ${fmt(m.f1).padStart(6)} ${String(m.support).padStart(6)}`,
    );
  const macro = (k: "precision" | "recall" | "f1") => fmt(mean(rows.map(([, m]) => m[k])));
  console.log(
    `  ${"macro".padEnd(15)} ${macro("precision").padStart(6)} ${macro("recall").padStart(6)} ${macro("f1").padStart(6)}`,
  );
}

async function main(): Promise<void> {
  const { data, opts } = parseArgs(process.argv.slice(2));
  const meta = loadMeta(data);
  const dir = opts.get("models");
  const model = dir ? await openEmotionModel(`${resolve(dir)}/`) : await loadEmotionModel();
  const json = model.meta;
  const { labels } = model;
  console.log(`model ${model.version} (onnx sha256 ${json.onnx.sha256})`);

  const test = loadSplit(goEmotionsPath(data, "test"), labels.length);
  const pTest = await probabilities(
    model,
    test.map((e) => e.text),
  );
  const dTest = decide(pTest, labels, json.thresholds);
  console.log(`\nGoEmotions test (${test.length} texts), 28 labels, thresholds tuned on dev:`);
  table(
    labels.map((l, k) => [
      l,
      prf(
        dTest.map((r) => r[k]),
        test.map((e) => e.y[k] === 1),
      ),
    ]),
  );
  console.log(`\nGoEmotions test, Ekman groups (a group is predicted when any member label is):`);
  const gold = test.map((e) => e.y);
  table(
    Object.entries(meta.ekman).map(([g, members]) => [
      g,
      prf(groupPred(dTest, labels, members), groupGold(gold, labels, members)),
    ]),
  );

  console.log(
    `\nGoEmotions test, Ekman groups by group score (max member probability >= the group's own dev-tuned threshold):`,
  );
  table(
    Object.entries(meta.ekman).map(([g, members]) => [
      g,
      prf(
        groupScores(pTest, labels, members).map((s) => s >= json.groupThresholds[g]),
        groupGold(gold, labels, members),
      ),
    ]),
  );

  const emo = loadEmodift(data);
  const pEmo = await probabilities(
    model,
    emo.map((r) => r.text),
  );
  const dev = json.calibration["goemotions-dev"];
  // Prior-shift adaptation: EM on the unlabelled EmoDIFT texts, per label; gold labels are not read.
  const targetPriors = labels.map((l, k) =>
    emPrior(
      pEmo.map((p) => p[k]),
      dev.labels[l].support / dev.n,
    ),
  );
  const pAdapted = pEmo.map((p) =>
    Float32Array.from(p, (x, k) => adjustPosterior(x, dev.labels[labels[k]].support / dev.n, targetPriors[k])),
  );
  const dRaw = decide(pEmo, labels, json.thresholds);
  const dAdapted = decide(pAdapted, labels, json.thresholds);
  console.log(`\nEmoDIFT fr dev (${emo.length} tweets; level >= 0.33 = present), Ekman-group F1:`);
  console.log(
    `  ${"group".padEnd(10)} ${"prev".padStart(6)} ${"always+".padStart(8)} ${"model".padStart(7)} ${"+EM".padStart(7)}  EM-estimated prevalence of the members`,
  );
  const rows: number[][] = [];
  for (const g of Object.values(EMODIFT_GROUPS)) {
    const members = meta.ekman[g];
    const goldG = emo.map((r) => r.groups[g]);
    const prev = goldG.filter(Boolean).length / goldG.length;
    const base = (2 * prev) / (1 + prev);
    const raw = prf(groupPred(dRaw, labels, members), goldG).f1;
    const adapted = prf(groupPred(dAdapted, labels, members), goldG).f1;
    rows.push([base, raw, adapted]);
    const est = members.map((m) => `${m} ${fmt(targetPriors[labels.indexOf(m)])}`).join(", ");
    console.log(
      `  ${g.padEnd(10)} ${fmt(prev).padStart(6)} ${fmt(base).padStart(8)} ${fmt(raw).padStart(7)} ${fmt(adapted).padStart(7)}  ${est}`,
    );
  }
  console.log(
    `  ${"macro".padEnd(10)} ${"".padStart(6)} ${fmt(mean(rows.map((r) => r[0]))).padStart(8)} ${fmt(mean(rows.map((r) => r[1]))).padStart(7)} ${fmt(mean(rows.map((r) => r[2]))).padStart(7)}`,
  );
  console.log(
    `  always+ = always predict present (F1 = 2p/(1+p)); +EM = Saerens-Latinne-Decaestecker prior re-estimation on the unlabelled tweets, same thresholds.`,
  );
  quantification(emo, pEmo, model);
}

/**
 * What the sentiment reports would publish for these 740 tweets as one group of notes: the
 * prevalence of each Ekman group by the report estimators, with the English and the French
 * (machine-translated) dev error rates, against the annotated prevalence.
 */
function quantification(emo: EmodiftRow[], probs: Float32Array[], model: EmotionModel): void {
  const { labels, meta: json } = model;
  const blocks = ["goemotions-dev", "goemotions-fr-mt-dev"] as const;
  const infos = blocks.map((b) => modelInfoFromJson(json, b));
  const sample = (mean: number) => ({ mean, units: emo.length, effectiveSize: emo.length, noiseVariance: 0 });
  const cols = ["CC", "PCC", "ACC en", "ACC fr", "PACC en", "PACC fr", "EM"];
  console.log(
    `\nEmoDIFT, prevalence of each group as the reports estimate it over all ${emo.length} tweets (absolute error in brackets):`,
  );
  console.log(`  ${"group".padEnd(10)} ${"true".padStart(6)} ${cols.map((c) => c.padStart(14)).join("")}`);
  const errors: number[][] = [];
  for (const g of Object.values(EMODIFT_GROUPS)) {
    const truth = emo.filter((r) => r.groups[g]).length / emo.length;
    const scores = groupScores(probs, labels, json.ekman[g]);
    const cc = mean(scores.map((s) => (s >= json.groupThresholds[g] ? 1 : 0)));
    const pcc = mean(scores);
    const devPrior = json.calibration["goemotions-dev"].groups[g].support / json.calibration["goemotions-dev"].n;
    const est = [
      cc,
      pcc,
      ...infos.map((i) => adjustedClassifyAndCount(sample(cc), i.groupRates[g], i.devSize).estimate),
      ...infos.map((i) => probabilisticAdjustedClassifyAndCount(sample(pcc), i.groupRates[g], i.devSize).estimate),
      emPrior(scores, devPrior),
    ];
    errors.push(est.map((e) => Math.abs(e - truth)));
    console.log(
      `  ${g.padEnd(10)} ${fmt(truth).padStart(6)} ${est.map((e) => `${fmt(e)} [${fmt(Math.abs(e - truth))}]`.padStart(14)).join("")}`,
    );
  }
  console.log(
    `  ${"mean abs. error".padEnd(17)} ${cols.map((_, k) => fmt(mean(errors.map((r) => r[k]))).padStart(14)).join("")}`,
  );
}

await main();
