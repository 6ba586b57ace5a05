/**
 * npm run model:french-input -- --data ../shared/datasets [--models DIR]
 *
 * Ways of reading a French note's input at inference, measured one by one on the EmoDIFT dev
 * tweets with the model as it is (no retraining): per-tweet Ekman macro-F1 with group thresholds
 * cross-fitted over the calibration folds (as report:calibrate's `frenchPerPost`), each group's
 * AUC (threshold-free: does the variant rank the tweets better at all?) and the change per fold.
 * Every variant is a fixed rule written from general French and the project's own lists; none is
 * fitted on, or picked from, the tweets' words. The tweets' text stays in this process.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EmotionModel, loadEmotionModel, MODELS_DIR, openEmotionModel } from "../../src/emotion";
import { FRENCH_AS_ENGLISH, frenchWordTokens } from "../../src/emotion/french";
import { toPlainText } from "../../src/emotion/plain-text";
import { fnv1a, normalize, tokens } from "../../src/emotion/tokenizer";
import { CALIBRATION_FOLDS, foldOf } from "../../src/reports";
import { parseArgs } from "./args";
import { groupScores } from "./calibration";
import { EMODIFT_GROUPS, loadEmodift } from "./data";
import { readDictd, senses } from "./dictionary";
import { EMOTION_LEXICON, LABEL_EMOJI } from "./emotion-lexicon";
import { bestThreshold, prf } from "./metrics";

const { data, opts } = parseArgs(process.argv.slice(2));
const dir = opts.get("models");
const model: EmotionModel = dir ? await openEmotionModel(`${resolve(dir)}/`) : await loadEmotionModel();
const { labels, meta } = model;
const cfg = meta.tokenizer;
const words = readFileSync((dir ? `${resolve(dir)}/` : MODELS_DIR) + meta.vocabulary.file, "utf8")
  .split("\n")
  .slice(0, meta.vocabulary.words);
const vocab = new Map(words.map((w, i) => [w, i]));
const emo = loadEmodift(data);
const folds = emo.map((r) => foldOf(r.num));
const groups = Object.values(EMODIFT_GROUPS);
const WORDLIKE_RE = /^[\p{L}\p{N}]+$/u;

/** One way of reading a French note: its text, the tokens of the hashed channel, the words of the word channel. */
interface Reading {
  text?: (s: string) => string;
  hashed?: (toks: string[]) => string[];
  words?: (toks: string[]) => Array<string | null>;
}

/** Feature ids as the tokenizer's spec builds them, from the tokens and words a reading gives. */
function ids(r: Reading, text: string): Uint32Array {
  const t0 = tokens(r.text ? r.text(text) : text);
  const toks = r.hashed ? r.hashed(t0) : t0;
  const B = cfg.buckets;
  const out: number[] = [];
  for (const t of toks) out.push(fnv1a(`w\u0001${t}`) % B);
  for (let i = 1; i < toks.length; i++) out.push(fnv1a(`b\u0001${toks[i - 1]} ${toks[i]}`) % B);
  for (const t of toks) {
    if (!WORDLIKE_RE.test(t)) continue;
    const cps = Array.from(`<${t}>`);
    for (let i = 0; i < cps.length; i++)
      for (let n = cfg.charMin; n <= cfg.charMax && i + n <= cps.length && n < cps.length; n++)
        out.push(fnv1a(`c\u0001${cps.slice(i, i + n).join("")}`) % B);
  }
  for (const w of r.words ? r.words(t0) : frenchWordTokens(t0)) {
    const k = w === null ? undefined : vocab.get(w);
    if (k !== undefined) out.push(B + k);
  }
  return Uint32Array.from(out);
}

async function probs(features: Uint32Array[]): Promise<Float32Array[]> {
  const got = await model.probabilities(features.filter((f) => f.length > 0));
  let k = 0;
  return features.map((f) => (f.length > 0 ? got[k++] : new Float32Array(labels.length)));
}

const read = (r: Reading) => probs(emo.map((row) => ids(r, row.text)));

/** Macro-F1 over the six groups on the tweets of `test`, each group's threshold tuned on `train`. */
function macroF1(p: Float32Array[], train: (i: number) => boolean, test: (i: number) => boolean): number[] {
  return groups.map((g) => {
    const s = groupScores(p, labels, meta.ekman[g]);
    const gold = emo.map((r) => r.groups[g]);
    const tr = s.map((_, i) => i).filter(train);
    const te = s.map((_, i) => i).filter(test);
    const th = bestThreshold(
      tr.map((i) => s[i]),
      tr.map((i) => gold[i]),
    );
    return prf(
      te.map((i) => s[i] >= th),
      te.map((i) => gold[i]),
    ).f1;
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Out-of-fold: each fold's tweets decided at thresholds tuned on the other folds (pooled F1). */
function outOfFold(p: Float32Array[]): number[] {
  return groups.map((g) => {
    const s = groupScores(p, labels, meta.ekman[g]);
    const gold = emo.map((r) => r.groups[g]);
    const pred = new Array<boolean>(emo.length).fill(false);
    for (let k = 0; k < CALIBRATION_FOLDS; k++) {
      const tr = s.map((_, i) => i).filter((i) => folds[i] !== k);
      const th = bestThreshold(
        tr.map((i) => s[i]),
        tr.map((i) => gold[i]),
      );
      s.forEach((x, i) => {
        if (folds[i] === k) pred[i] = x >= th;
      });
    }
    return prf(pred, gold).f1;
  });
}

function auc(scores: number[], gold: boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Mann–Whitney with mid-ranks for ties.
  const rank = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    for (let k = i; k <= j; k++) rank[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const pos = gold.filter(Boolean).length;
  const neg = gold.length - pos;
  const sum = rank.reduce((a, r, i) => a + (gold[i] ? r : 0), 0);
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

let basePerFold: number[] | undefined;
function report(name: string, p: Float32Array[]): void {
  const f1 = outOfFold(p);
  const aucs = groups.map((g) =>
    auc(
      groupScores(p, labels, meta.ekman[g]),
      emo.map((r) => r.groups[g]),
    ),
  );
  const perFold = Array.from({ length: CALIBRATION_FOLDS }, (_, k) =>
    mean(
      macroF1(
        p,
        (i) => folds[i] !== k,
        (i) => folds[i] === k,
      ),
    ),
  );
  basePerFold ??= perFold;
  const delta = perFold.map((x, k) => (x - basePerFold![k]).toFixed(3).padStart(6)).join(" ");
  console.log(
    `${name.padEnd(52)} ${mean(f1).toFixed(3)}  [${f1.map((x) => x.toFixed(3)).join(" ")}]  AUC ${aucs.map((x) => x.toFixed(2)).join(" ")} (mean ${mean(aucs).toFixed(3)})  per fold Δ ${delta}`,
  );
}

// ---- the readings ----

/** Elided articles and pronouns as the tokenizer leaves them ("l'usine" → l, usine). */
const ELISIONS = new Set(["l", "d", "j", "qu", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"]);
/** French function words: those src/emotion/french.ts already reads as English function words. */
const STOP_WORDS = new Set(FRENCH_AS_ENGLISH.keys());

/** "#ColèreRouen" → "Colère Rouen"; a run-together lower-case tag is cut into vocabulary words. */
function splitHashtags(s: string): string {
  return s.replace(/#([\p{L}\p{N}_]+)/gu, (_, tag: string) => {
    const parts = tag
      .replace(/_/g, " ")
      .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
      .replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, "$1$3 $2$4")
      .split(/\s+/);
    return ` ${parts.map(segment).join(" ")} `;
  });
}

/** Fewest vocabulary words of 3+ letters that make up `part`; the part itself when none do. */
function segment(part: string): string {
  const s = normalize(part);
  if (s.length < 8 || vocab.has(s)) return part;
  const best: Array<{ cost: number; from: number } | undefined> = [{ cost: 0, from: -1 }];
  for (let i = 1; i <= s.length; i++)
    for (let j = Math.max(0, i - 20); j <= i - 3; j++) {
      const prev = best[j];
      if (prev && vocab.has(s.slice(j, i)) && (!best[i] || prev.cost + 1 < best[i]!.cost))
        best[i] = { cost: prev.cost + 1, from: j };
    }
  if (!best[s.length]) return part;
  const out: string[] = [];
  for (let i = s.length; i > 0; i = best[i]!.from) out.unshift(s.slice(best[i]!.from, i));
  return out.join(" ");
}

/** Emoji → the label they were appended for in training (scripts/model/emotion-lexicon.ts). */
const EMOJI_WORD = new Map<string, string>();
for (const [label, emoji] of Object.entries(LABEL_EMOJI))
  for (const e of emoji) if (!EMOJI_WORD.has(e)) EMOJI_WORD.set(e, label);

/** French word → English words, from FreeDict fra-eng and eng-fra and the project's emotion lexicon. */
function frenchToEnglish(): Map<string, string> {
  const all = new Map<string, Set<string>>();
  const add = (fr: string, en: string) => {
    const f = normalize(fr);
    const e = normalize(en);
    if (!/^[a-z]+$/.test(f) || !/^[a-z]+$/.test(e) || f === e) return;
    if (!all.has(f)) all.set(f, new Set());
    all.get(f)!.add(e);
  };
  const fd = join(data, "freedict");
  for (const [head, def] of readDictd(join(fd, "freedict-fra-eng"))) for (const en of senses(def)) add(head, en);
  for (const [head, def] of readDictd(join(fd, "freedict-eng-fra"))) for (const fr of senses(def)) add(fr, head);
  const out = new Map<string, string>();
  // The most frequent English translation (vocabulary rows follow GloVe's frequency rank).
  for (const [f, es] of all) out.set(f, [...es].sort((a, b) => (vocab.get(a) ?? 1e9) - (vocab.get(b) ?? 1e9))[0]);
  for (const [en, frs] of Object.entries(EMOTION_LEXICON))
    for (const fr of frs) if (/^[a-z]+$/.test(normalize(fr))) out.set(normalize(fr), en);
  return out;
}

/** The note read word by word in English (function words and negation as french.ts reads them). */
function gloss(dict: Map<string, string>, text: string): string {
  return frenchWordTokens(tokens(text))
    .map((w) => (w === null ? "" : FRENCH_AS_ENGLISH.has(w) ? w : (dict.get(w) ?? w)))
    .join(" ");
}

/** Sentences joined into pieces of at most `max` tokens (a longer sentence is a piece of its own). */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const s of toPlainText(text).split(/(?<=[.!?…])\s+|\n+/u)) {
    if (!s.trim()) continue;
    if (cur && tokens(`${cur} ${s}`).length > max) out.push(cur), (cur = s);
    else cur = cur ? `${cur} ${s}` : s;
  }
  if (cur) out.push(cur);
  return out.length ? out : [text];
}

async function meanOverPieces(max: number): Promise<Float32Array[]> {
  const split = emo.map((r) => pieces(r.text, max));
  const p = await probs(split.flat().map((t) => ids({}, t)));
  let k = 0;
  return split.map((ps) => {
    const rows = ps.map(() => p[k++]);
    return Float32Array.from(labels, (_, l) => mean(rows.map((r) => r[l])));
  });
}

const halfStopWords = (toks: string[]): Array<string | null> => {
  // Weights cannot be passed through classify(); counting every other word twice halves the stop words' share.
  const w = frenchWordTokens(toks);
  return w.flatMap((x, i) => (STOP_WORDS.has(toks[i]) ? [x] : [x, x]));
};

console.log(
  `model ${meta.version} (onnx ${meta.onnx.sha256.slice(0, 12)}), EmoDIFT dev ${emo.length} tweets, ${CALIBRATION_FOLDS} folds by row id`,
);
console.log(
  `${"reading".padEnd(52)} OOF macro-F1 [${groups.join(" ")}]  AUC per group  per-fold Δ macro-F1 vs the first row`,
);
const shipped = await read({});
report("shipped French reading (src/emotion/french.ts)", shipped);
report("untagged (no French reading)", await read({ words: (t) => t }));
report("hashtags split (camelCase, vocabulary words)", await read({ text: splitHashtags }));
report("elisions dropped from the hashed channel", await read({ hashed: (t) => t.filter((x) => !ELISIONS.has(x)) }));
report(
  "stop words + elisions dropped from the hashed channel",
  await read({ hashed: (t) => t.filter((x) => !ELISIONS.has(x) && !STOP_WORDS.has(x)) }),
);
report(
  "emoji read as their label word (word channel)",
  await read({ words: (t) => frenchWordTokens(t.map((x) => EMOJI_WORD.get(x) ?? x)) }),
);
report(
  "stop words dropped from the word channel",
  await read({ words: (t) => frenchWordTokens(t).map((w, i) => (STOP_WORDS.has(t[i]) ? null : w)) }),
);
report("stop words at half weight in the word channel", await read({ words: halfStopWords }));
const dict = frenchToEnglish();
const english = await probs(emo.map((r) => ids({ words: (t) => t }, gloss(dict, r.text))));
report("English gloss (FreeDict) alone, read as English", english);
report(
  "mean of the French reading and the English gloss",
  shipped.map((p, i) => p.map((x, l) => (x + english[i][l]) / 2)),
);
for (const max of [16, 24, 32]) report(`mean over sentence pieces of <= ${max} tokens`, await meanOverPieces(max));
report(
  "hashed channel only (word ids dropped)",
  await probs(emo.map((r) => ids({}, r.text).filter((id) => id < cfg.buckets))),
);
report(
  "word channel only (hashed ids dropped)",
  await probs(emo.map((r) => ids({}, r.text).filter((id) => id >= cfg.buckets))),
);
report(
  "combined: hashtags + emoji words + stop words at half weight",
  await read({ text: splitHashtags, words: (t) => halfStopWords(t.map((x) => EMOJI_WORD.get(x) ?? x)) }),
);
await stemAndPolarity();

/**
 * Two readings that need @nlpjs/lang-fr (MIT: a Snowball French stemmer and the Pattern polarity
 * lexicon), which the project does not depend on because neither helped; run
 * `npm i --no-save @nlpjs/lang-fr@4.26.1` first to measure them.
 */
async function stemAndPolarity(): Promise<void> {
  const name = "@nlpjs/lang-fr";
  let fr: { StemmerFr: new () => { stemWord(w: string): string } };
  try {
    fr = (await import(name)) as typeof fr;
  } catch {
    console.log(`(stem fallback and polarity lexicon skipped: ${name} is not installed)`);
    return;
  }
  const stemmer = new fr.StemmerFr();
  const stem = (w: string) => normalize(stemmer.stemWord(w));
  const byStem = new Map<string, string>();
  for (const w of words) if (/^[a-z]{3,}$/.test(w) && !byStem.has(stem(w))) byStem.set(stem(w), w);
  let oov = 0;
  let found = 0;
  const stemmed = (t: string[]) =>
    frenchWordTokens(t).map((w) => {
      if (w === null || vocab.has(w) || !/^[a-z]{4,}$/.test(w)) return w;
      const hit = byStem.get(stem(w));
      oov++;
      if (hit) found++;
      return hit ?? w;
    });
  report("out-of-vocabulary words read through their stem", await read({ words: stemmed }));
  console.log(`  (${found} of ${oov} out-of-vocabulary word tokens found by stem)`);
  const { createRequire } = await import("node:module");
  const lexiconPath = createRequire(import.meta.url).resolve(`${name}/src/sentiment/pattern_fr.json`);
  const polarity = JSON.parse(readFileSync(lexiconPath, "utf8")) as Record<string, number>;
  for (const sign of [-1, 1]) {
    const score = emo.map((r) =>
      tokens(r.text).reduce((s, t) => {
        const v = polarity[t] ?? polarity[stem(t)];
        return v !== undefined && v * sign > 0 ? s + v * sign : s;
      }, 0),
    );
    const aucs = groups.map((g) =>
      auc(
        score,
        emo.map((r) => r.groups[g]),
      ).toFixed(2),
    );
    console.log(
      `Pattern lexicon, sum of ${sign < 0 ? "negative" : "positive"} polarity: AUC per group ${aucs.join(" ")}`,
    );
  }
}

const ceiling = groups.map((g) => {
  const s = groupScores(shipped, labels, meta.ekman[g]);
  const gold = emo.map((r) => r.groups[g]);
  const th = bestThreshold(s, gold);
  return prf(
    s.map((x) => x >= th),
    gold,
  ).f1;
});
console.log(
  `\nceiling, not a result: the shipped reading at each group's best threshold on all 740 tweets (in-sample) ${mean(ceiling).toFixed(3)} [${ceiling.map((x) => x.toFixed(3)).join(" ")}]`,
);
const p = groups.map((g) => emo.filter((r) => r.groups[g]).length / emo.length);
console.log(`every-group baseline ${mean(p.map((x) => (2 * x) / (1 + x))).toFixed(3)}`);
