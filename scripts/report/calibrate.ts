/**
 * npm run report:calibrate -- --data ../shared/datasets
 *
 * Measures the shipped model's error rates per language, on labelled data of that language,
 * and how much they move between sources, then writes models/emotion-calibration.json and
 * records its SHA-256 in models/emotion.json (the runtime refuses a mismatching file).
 * The thresholds are the model's own (tuned on GoEmotions dev); only rates are measured here.
 *
 * - English: GoEmotions **test** (not used to fit thresholds or Platt scaling); model
 *   uncertainty = the spread between GoEmotions dev and test.
 * - French, Ekman groups EmoDIFT has (anger, disgust, fear, sadness, surprise, neutral): the 740
 *   EmoDIFT dev tweets (social posts); model uncertainty = the spread between EmoDIFT and the
 *   machine-translated GoEmotions dev and test. Per fold (5, drawn from the row id), the rates
 *   without that fold are stored too, so that every figure reported on EmoDIFT is out-of-fold.
 * - French, joy and the 28 labels (EmoDIFT has no such columns): GoEmotions test in French MT;
 *   model uncertainty = the spread between French MT dev, French MT test and English test.
 *
 * EmoDIFT text never leaves this process: only rates (numbers) are written.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { loadEmotionModel, type EmotionModel, isBlankNote, MODEL_JSON, MODELS_DIR } from "../../src/emotion";
import {
  CALIBRATION_FILE,
  CALIBRATION_FOLDS,
  foldOf,
  type LanguageRates,
  type RateStats,
  type LanguageCalibration,
} from "../../src/reports";
import { parseArgs } from "../model/args";
import { groupGold, groupScores } from "../model/calibration";
import { bestThreshold, prf } from "../model/metrics";
import { goEmotionsPath, loadEmodift, loadSplit, EMODIFT_GROUPS } from "../model/data";
import { applyRecalibration, fitLogistic, fitRecalibration, logit, type FittedMap } from "./recalibration-fit";

/**
 * Per-tweet Ekman macro-F1 on EmoDIFT (6 groups, group score ≥ threshold), out-of-fold: each
 * fold's thresholds are the F1-optimal ones on the other folds (cross-fitted calibration).
 */
function frenchPerPost(
  emo: { groups: Record<string, boolean> }[],
  tagged: Float32Array[],
  untagged: Float32Array[],
  folds: number[],
  labels: readonly string[],
  meta: { ekman: Record<string, string[]>; groupThresholds: Record<string, number> },
) {
  const groups = Object.values(EMODIFT_GROUPS);
  const macro = (probs: Float32Array[], crossFitted: boolean) => {
    const f1s = groups.map((g) => {
      const scores = groupScores(probs, labels, meta.ekman[g]);
      const gold = emo.map((r) => r.groups[g]);
      const pred = scores.map((s, i) => {
        if (!crossFitted) return s >= meta.groupThresholds[g];
        const train = (j: number) => folds[j] !== folds[i];
        return (
          s >=
          bestThreshold(
            scores.filter((_, j) => train(j)),
            gold.filter((_, j) => train(j)),
          )
        );
      });
      return prf(pred, gold).f1;
    });
    return Math.round((f1s.reduce((a, b) => a + b, 0) / f1s.length) * 1000) / 1000;
  };
  const always = groups.map((g) => {
    const p = emo.filter((r) => r.groups[g]).length / emo.length;
    return (2 * p) / (1 + p);
  });
  return {
    what: "EmoDIFT dev, per-tweet Ekman macro-F1 over anger, disgust, fear, sadness, surprise, neutral (group score >= threshold)",
    everyGroupBaseline: round3(always.reduce((a, b) => a + b, 0) / always.length),
    shippedThresholds: { frenchReading: macro(tagged, false), untagged: macro(untagged, false) },
    crossFittedThresholds: { frenchReading: macro(tagged, true), untagged: macro(untagged, true) },
    tried: triedPerPost(emo, tagged, folds, labels, meta.ekman),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Other per-tweet rules, each cross-fitted the same way (fitted on four folds, applied to the
 * fifth). The Platt map of the shipped recalibration is monotone, so it decides as the raw score
 * with cross-fitted thresholds does; these ask whether anything else read from the model's outputs
 * would do better.
 */
function triedPerPost(
  emo: { groups: Record<string, boolean> }[],
  probs: Float32Array[],
  folds: number[],
  labels: readonly string[],
  ekman: Record<string, string[]>,
): Record<string, number> {
  const groups = Object.values(EMODIFT_GROUPS);
  const ids = emo.map((_, i) => i);
  const neutral = labels.indexOf("neutral");
  /** Macro-F1 when each group's score for a tweet comes from a rule fitted on the other folds. */
  const crossFitted = (rule: (g: string, train: number[]) => { score: (i: number) => number; threshold: number }) => {
    const f1s = groups.map((g) => {
      const gold = emo.map((r) => r.groups[g]);
      const pred: boolean[] = new Array(emo.length).fill(false);
      for (let k = 0; k < CALIBRATION_FOLDS; k++) {
        const { score, threshold } = rule(
          g,
          ids.filter((i) => folds[i] !== k),
        );
        for (const i of ids) if (folds[i] === k) pred[i] = score(i) >= threshold;
      }
      return prf(pred, gold).f1;
    });
    return round3(f1s.reduce((a, b) => a + b, 0) / f1s.length);
  };
  const cache = new Map<string, number[]>();
  const group = (g: string) => {
    if (!cache.has(g)) cache.set(g, groupScores(probs, labels, ekman[g]));
    return cache.get(g)!;
  };
  const tuned = (score: (i: number) => number, g: string, train: number[]) =>
    bestThreshold(
      train.map(score),
      train.map((i) => emo[i].groups[g]),
    );
  const logistic = (featuresOf: (g: string) => (i: number) => number[]) => (g: string, train: number[]) => {
    const features = featuresOf(g);
    const f = fitLogistic(
      train.map(features),
      train.map((i) => emo[i].groups[g]),
    );
    const score = (i: number) => f(features(i));
    return { score, threshold: tuned(score, g, train) };
  };
  return {
    // per group, on the training folds: the threshold, or "every tweet" when an inner 4-fold
    // cross-validation says tagging everything scores the higher F1 there
    "group score; threshold or every tweet, chosen per group by inner cross-validation": crossFitted((g, train) => {
      const s = group(g);
      const score = (i: number) => s[i];
      const inner = (every: boolean) => {
        const pred = train.map((i) => {
          if (every) return true;
          const rest = train.filter((j) => folds[j] !== folds[i]);
          return s[i] >= tuned(score, g, rest);
        });
        return prf(
          pred,
          train.map((i) => emo[i].groups[g]),
        ).f1;
      };
      return { score, threshold: inner(true) > inner(false) ? 0 : tuned(score, g, train) };
    }),
    "two-input logistic map (group score, neutral probability)": crossFitted(
      logistic((g) => (i) => [logit(group(g)[i]), logit(probs[i][neutral])]),
    ),
    "logistic map of all 28 label probabilities (a stacked classifier; ceiling, not a calibration)": crossFitted(
      logistic(() => (i) => Array.from(probs[i], (p) => logit(p))),
    ),
  };
}

/** One labelled source for one target: scores and gold, at the model's threshold. */
interface Sample {
  scores: number[];
  gold: boolean[];
  threshold: number;
  /** The probabilities whose means PACC reads, when they are recalibrated scores (else the scores). */
  probs?: number[];
}

interface Point {
  tpr: number;
  fpr: number;
  meanScorePos: number;
  meanScoreNeg: number;
  positives: number;
  negatives: number;
  /** Sampling variances of the four rates on this source. */
  sampling: [number, number, number, number];
}

const VALUES = ["tpr", "fpr", "meanScorePos", "meanScoreNeg"] as const;

function pointOf({ scores, gold, threshold, probs = scores }: Sample): Point {
  let pos = 0,
    neg = 0,
    tp = 0,
    fp = 0,
    sPos = 0,
    sNeg = 0,
    qPos = 0,
    qNeg = 0;
  scores.forEach((s, i) => {
    const q = probs[i];
    if (gold[i]) pos++, (tp += s >= threshold ? 1 : 0), (sPos += q), (qPos += q * q);
    else neg++, (fp += s >= threshold ? 1 : 0), (sNeg += q), (qNeg += q * q);
  });
  const tpr = pos ? tp / pos : 0;
  const fpr = neg ? fp / neg : 0;
  const mp = pos ? sPos / pos : 0;
  const mn = neg ? sNeg / neg : 0;
  const v = (x: number, n: number) => (n > 0 ? x / n : 0.25);
  return {
    tpr,
    fpr,
    meanScorePos: mp,
    meanScoreNeg: mn,
    positives: pos,
    negatives: neg,
    // Binomial for the rates, the observed variance of the scores for their means (floored at one example).
    sampling: [
      v(tpr * (1 - tpr), Math.max(1, pos)),
      v(fpr * (1 - fpr), Math.max(1, neg)),
      v(qPos / Math.max(1, pos) - mp * mp, Math.max(1, pos)),
      v(qNeg / Math.max(1, neg) - mn * mn, Math.max(1, neg)),
    ],
  };
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const r9 = (x: number) => Number(x.toPrecision(6));

/**
 * The rates of `main` with, per rate, the sampling variance on `main` and the model variance:
 * the sample variance of the rate across `sources` (main included), i.e. how far the rate of a
 * new source (a new community's posts) may fall from the one measured here.
 */
function rateStats(main: Sample, sources: Sample[]): RateStats {
  const p = pointOf(main);
  const others = sources.map(pointOf);
  const out = {
    tpr: r6(p.tpr),
    fpr: r6(p.fpr),
    meanScorePos: r6(p.meanScorePos),
    meanScoreNeg: r6(p.meanScoreNeg),
    positives: p.positives,
    negatives: p.negatives,
  } as RateStats;
  const all = [p, ...others];
  out.samplingVariance = Object.fromEntries(
    VALUES.map((k, i) => [k, r9(p.sampling[i])]),
  ) as RateStats["samplingVariance"];
  out.modelVariance = Object.fromEntries(
    VALUES.map((k) => {
      const xs = all.map((q) => q[k]);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return [k, r9(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))];
    }),
  ) as RateStats["modelVariance"];
  return out;
}

async function probabilities(model: EmotionModel, texts: string[], lang: string): Promise<Float32Array[]> {
  const ids = texts.map((t) => (isBlankNote(t) ? new Uint32Array(0) : model.features(t, lang)));
  const probs = await model.probabilities(ids.filter((x) => x.length > 0));
  let k = 0;
  return ids.map((x) => (x.length > 0 ? probs[k++] : new Float32Array(model.labels.length)));
}

async function main(): Promise<void> {
  const { data } = parseArgs(process.argv.slice(2));
  const model = await loadEmotionModel();
  const { labels, meta } = model;
  const split = async (name: "dev" | "test", fr: boolean) => {
    const ex = loadSplit(goEmotionsPath(data, name, fr), labels.length);
    return {
      probs: await probabilities(
        model,
        ex.map((e) => e.text),
        fr ? "fr" : "en",
      ),
      gold: ex.map((e) => e.y),
    };
  };
  const enDev = await split("dev", false),
    enTest = await split("test", false);
  const frDev = await split("dev", true),
    frTest = await split("test", true);
  const emo = loadEmodift(data);
  const emoProbs = await probabilities(
    model,
    emo.map((r) => r.text),
    "fr",
  );
  const folds = emo.map((r) => foldOf(r.num));

  type Src = { probs: Float32Array[]; gold: Uint8Array[] };
  const groupSample = (s: Src, g: string, map?: FittedMap): Sample => {
    const scores = groupScores(s.probs, labels, meta.ekman[g]);
    return {
      scores,
      gold: groupGold(s.gold, labels, meta.ekman[g]),
      threshold: meta.groupThresholds[g],
      ...(map ? { probs: applyRecalibration(map, scores) } : {}),
    };
  };
  const labelSample = (s: Src, l: string): Sample => {
    const k = labels.indexOf(l);
    return { scores: s.probs.map((p) => p[k]), gold: s.gold.map((y) => y[k] === 1), threshold: meta.thresholds[l] };
  };
  const emoSample = (g: string, keep: (i: number) => boolean, map?: FittedMap): Sample => {
    const scores = groupScores(emoProbs, labels, meta.ekman[g]).filter((_, i) => keep(i));
    return {
      scores,
      gold: emo.map((r) => r.groups[g]).filter((_, i) => keep(i)),
      threshold: meta.groupThresholds[g],
      ...(map ? { probs: applyRecalibration(map, scores) } : {}),
    };
  };
  const emoGroups = new Set(Object.values(EMODIFT_GROUPS));
  const map = <T>(names: readonly string[], f: (n: string) => T) => Object.fromEntries(names.map((n) => [n, f(n)]));
  const groups = Object.keys(meta.ekman);

  const en: LanguageRates = {
    sources: ["goemotions/test.tsv", "goemotions/dev.tsv"],
    groups: map(groups, (g) => rateStats(groupSample(enTest, g), [groupSample(enDev, g)])),
    labels: map(labels, (l) => rateStats(labelSample(enTest, l), [labelSample(enDev, l)])),
  };
  // French group probabilities are recalibrated on the tweets (Platt per group, fitted on the kept
  // folds only); every French source's rates are then measured on the mapped probabilities.
  const frMaps = (keep: (i: number) => boolean) =>
    map([...emoGroups], (g) => {
      const s = emoSample(g, keep);
      return fitRecalibration(s.scores, s.gold);
    });
  const recalibration = (maps: Record<string, FittedMap>) => ({
    what: "Platt scaling of the group score (max of its labels' probabilities) on EmoDIFT dev tweets, drawn as knots",
    groups: maps,
  });
  const frGroups = (keep: (i: number) => boolean, maps: Record<string, FittedMap>) =>
    map(groups, (g) =>
      emoGroups.has(g)
        ? rateStats(emoSample(g, keep, maps[g]), [groupSample(frDev, g, maps[g]), groupSample(frTest, g, maps[g])])
        : rateStats(groupSample(frTest, g), [groupSample(frDev, g), groupSample(enTest, g)]),
    );
  const allMaps = frMaps(() => true);
  const fr: LanguageRates = {
    sources: [
      "emodift-fr-dev (740 tweets; anger, disgust, fear, sadness, surprise, neutral)",
      "goemotions-fr-mt/test.tsv",
      "goemotions-fr-mt/dev.tsv",
      "goemotions/test.tsv (joy and labels only)",
    ],
    groups: frGroups(() => true, allMaps),
    labels: map(labels, (l) => rateStats(labelSample(frTest, l), [labelSample(frDev, l), labelSample(enTest, l)])),
    recalibration: recalibration(allMaps),
    folds: Array.from({ length: CALIBRATION_FOLDS }, (_, k) => {
      const keep = (i: number) => folds[i] !== k;
      const maps = frMaps(keep);
      return { groups: frGroups(keep, maps), recalibration: recalibration(maps) };
    }),
  };
  const untagged = await probabilities(
    model,
    emo.map((r) => r.text),
    "",
  );
  const file: LanguageCalibration = {
    model: meta.version,
    onnxSha256: meta.onnx.sha256,
    folds: { count: CALIBRATION_FOLDS, rule: "EmoDIFT row `num`: FNV-1a 32-bit of 'emodift:' + num, modulo count" },
    languages: { en, fr },
    frenchPerPost: frenchPerPost(emo, emoProbs, untagged, folds, labels, meta),
  };
  const text = `${JSON.stringify(file, null, 2)}\n`;
  writeFileSync(MODELS_DIR + CALIBRATION_FILE, text);
  const sha256 = createHash("sha256").update(text).digest("hex");
  const jsonPath = MODELS_DIR + MODEL_JSON;
  const json = JSON.parse(readFileSync(jsonPath, "utf8")) as Record<string, unknown>;
  json.languageCalibration = { file: CALIBRATION_FILE, sha256 };
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${CALIBRATION_FILE} (sha256 ${sha256})`);
  console.log(`French per-tweet Ekman macro-F1: ${JSON.stringify(file.frenchPerPost)}`);
  for (const [lang, r] of Object.entries(file.languages)) {
    for (const g of groups) {
      const s = r.groups[g];
      console.log(
        `${lang} ${g.padEnd(9)} tpr ${s.tpr.toFixed(3)} fpr ${s.fpr.toFixed(3)} (sd sampling ${Math.sqrt(s.samplingVariance.tpr).toFixed(3)}/${Math.sqrt(s.samplingVariance.fpr).toFixed(3)}, model ${Math.sqrt(s.modelVariance.tpr).toFixed(3)}/${Math.sqrt(s.modelVariance.fpr).toFixed(3)})  pos ${s.meanScorePos.toFixed(3)} neg ${s.meanScoreNeg.toFixed(3)}`,
      );
    }
  }
}

await main();
