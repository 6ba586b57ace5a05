/**
 * The one featurizer shared by training (scripts/model) and inference (src/emotion/model.ts):
 * text → hashed feature ids. Any change here changes the model, so bump TOKENIZER_SPEC.version
 * and retrain.
 */
import { frenchWordTokens, isFrench } from "./french";
import { toPlainText } from "./plain-text";

export interface TokenizerConfig {
  /** Number of hash buckets (rows of the embedding table). */
  buckets: number;
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
}

/**
 * Pretrained word vectors the model knows, by normalized token; the id of word i is
 * buckets + i. Loaded from the model's vocabulary file.
 */
export type Vocabulary = ReadonlyMap<string, number>;

/** Caps that bound the work per note (a 1 MB line must not stall a batch); no training text reaches them. */
export const MAX_TOKENS = 200;
export const MAX_TOKEN_CHARS = 32;

const TOKEN_RE = /\p{Extended_Pictographic}|[\p{L}\p{N}]+|[!?]+|[:;=]-?[()[\]dpo/\\|*3]/gu;
const WORDLIKE_RE = /^[\p{L}\p{N}]+$/u;

/** Human-readable specification, copied into the model JSON so other runtimes can reproduce it. */
export const TOKENIZER_SPEC = {
  version: "ensemble-tok-2",
  steps: [
    "plain = toPlainText(text): strip HTML tags, decode the common entities, drop URLs and @mentions; '#' of hashtags removed, their words kept",
    "Reddit's '[NAME]' placeholder also dropped (it stands for a name, like a mention)",
    "normalize: Unicode NFKD, remove combining marks (\\p{M}) — folds accents so 'colère' = 'colere' —, then toLowerCase()",
    "squeeze any character repeated 3+ times to 2 ('sooooo' → 'soo', '!!!!' → '!!')",
    `tokens = matches of /${TOKEN_RE.source}/gu in order; apostrophes split words (j'ai → j, ai); only the first ${MAX_TOKENS} tokens are kept, each cut to its first ${MAX_TOKEN_CHARS} code points`,
    "features, in this order: for each token t, 'w\\u0001'+t; for each adjacent pair, 'b\\u0001'+t1+' '+t2; for each token of letters/digits (not emoji or punctuation), with p = '<'+t+'>' as code points, for each start position i from left to right, for n from charMin to charMax with i+n <= length(p) and n < length(p), the substring of n code points at i, as 'c\\u0001'+substring",
    "id = FNV-1a 32-bit (offset 2166136261, prime 16777619, Math.imul) over the UTF-16 code units of the feature string, as unsigned, modulo buckets",
    "then, for each token t found in the vocabulary file (one normalized word per line, line i = word i), the id buckets + i",
    "when the note's language tag is French (fr, fr-*), each token t is first read as its English counterpart for the vocabulary step only (src/emotion/french.ts: function words 'de' → 'of', 'est' → 'is'; negation 'pas' → 'not', 'jamais' → 'never', 'plus'/'personne' within 4 tokens after 'ne'/'n' → 'not'/'nobody'; 'ne'/'n' give no word id); training texts carry no tag",
    "pooling: two means, one over the rows of the hashed ids and one over the rows of the word ids (duplicates counted), concatenated; a text with no ids has no emotion (null)",
  ],
};

export function normalize(plain: string): string {
  const folded = plain
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  return hasTripleRepeat(folded) ? folded.replace(/(.)\1{2,}/gsu, "$1$1") : folded;
}

/** Whether some code point occurs 3+ times in a row; a scan is much cheaper than the regex. */
function hasTripleRepeat(s: string): boolean {
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === s.charCodeAt(i - 1) && c === s.charCodeAt(i - 2)) return true;
    // Astral code points (most emoji) are surrogate pairs: compare pairs.
    if (i >= 5 && (c & 0xfc00) === 0xdc00 && c === s.charCodeAt(i - 2) && c === s.charCodeAt(i - 4)) {
      const h = s.charCodeAt(i - 1);
      if (h === s.charCodeAt(i - 3) && h === s.charCodeAt(i - 5)) return true;
    }
  }
  return false;
}

export function tokens(text: string): string[] {
  const all = normalize(toPlainText(text)).match(TOKEN_RE) ?? [];
  const out = all.length > MAX_TOKENS ? all.slice(0, MAX_TOKENS) : all;
  for (let i = 0; i < out.length; i++) {
    if (out[i].length > MAX_TOKEN_CHARS) out[i] = Array.from(out[i]).slice(0, MAX_TOKEN_CHARS).join("");
  }
  return out;
}

/**
 * The feature strings of a text, before hashing: the readable reference for TOKENIZER_SPEC.
 * featurize() computes the same ids without building the strings (tests check they agree).
 */
export function featureStrings(text: string, cfg: TokenizerConfig, vocab?: Vocabulary, lang?: string | null): string[] {
  const toks = tokens(text);
  const out: string[] = [];
  for (const t of toks) out.push(`w\u0001${t}`);
  for (let i = 1; i < toks.length; i++) out.push(`b\u0001${toks[i - 1]} ${toks[i]}`);
  for (const t of toks) {
    if (!WORDLIKE_RE.test(t)) continue;
    const cps = Array.from(`<${t}>`);
    for (let i = 0; i < cps.length; i++) {
      for (let n = cfg.charMin; n <= cfg.charMax && i + n <= cps.length && n < cps.length; n++) {
        out.push(`c\u0001${cps.slice(i, i + n).join("")}`);
      }
    }
  }
  for (const t of wordTokens(toks, lang)) if (t !== null && vocab?.has(t)) out.push(`v\u0001${t}`);
  return out;
}

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;

function fnvFeed(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

export function fnv1a(s: string): number {
  return fnvFeed(FNV_OFFSET, s) >>> 0;
}

const H_WORD = fnvFeed(FNV_OFFSET, "w\u0001");
const H_BIGRAM = fnvFeed(FNV_OFFSET, "b\u0001");
const H_CHAR = fnvFeed(FNV_OFFSET, "c\u0001");

/**
 * Feature ids of a text, in featureStrings order; empty for a blank text. This is the
 * hot path at inference: FNV-1a is a running hash, so each char n-gram extends the hash of
 * the shorter one at the same start, and no feature string is ever built.
 */
export function featurize(text: string, cfg: TokenizerConfig, vocab?: Vocabulary, lang?: string | null): Uint32Array {
  const toks = tokens(text);
  const B = cfg.buckets;
  let out = scratch;
  let n = 0;
  // Upper bound on the feature count, so the loops below never check capacity.
  let bound = 3 * toks.length;
  for (const t of toks) bound += (t.length + 2) * (cfg.charMax - cfg.charMin + 1);
  if (bound > out.length) out = scratch = new Uint32Array(bound * 2);
  for (const t of toks) out[n++] = (fnvFeed(H_WORD, t) >>> 0) % B;
  for (let i = 1; i < toks.length; i++) {
    out[n++] = (fnvFeed(fnvFeed(fnvFeed(H_BIGRAM, toks[i - 1]), " "), toks[i]) >>> 0) % B;
  }
  for (const t of toks) {
    if (!isWordlike(t)) continue;
    // Where each code point of "<t>" starts in its code units (n-grams count code points).
    const padded = `<${t}>`;
    let len = 0;
    for (let k = 0; k < padded.length; k++) {
      const c = padded.charCodeAt(k);
      const lowAfterHigh = (c & 0xfc00) === 0xdc00 && k > 0 && (padded.charCodeAt(k - 1) & 0xfc00) === 0xd800;
      if (!lowAfterHigh) starts[len++] = k;
    }
    starts[len] = padded.length;
    for (let i = 0; i < len; i++) {
      let h = H_CHAR;
      for (let g = 1; g <= cfg.charMax && i + g <= len && g < len; g++) {
        for (let u = starts[i + g - 1]; u < starts[i + g]; u++) h = Math.imul(h ^ padded.charCodeAt(u), FNV_PRIME);
        if (g >= cfg.charMin) out[n++] = (h >>> 0) % B;
      }
    }
  }
  if (vocab) {
    for (const t of wordTokens(toks, lang)) {
      if (t === null) continue;
      const w = vocab.get(t);
      if (w !== undefined) out[n++] = B + w;
    }
  }
  return out.slice(0, n);
}

/** The words the word channel looks up: the tokens themselves, or their reading in a French note. */
function wordTokens(toks: readonly string[], lang: string | null | undefined): ReadonlyArray<string | null> {
  return isFrench(lang) ? frenchWordTokens(toks) : toks;
}

/** Reused output buffer of featurize (grown on demand). */
let scratch = new Uint32Array(4096);
/** Code point starts of one padded token; tokens are capped at MAX_TOKEN_CHARS code points. */
const starts = new Int32Array(MAX_TOKEN_CHARS + 3);

/** WORDLIKE_RE.test(t) for a token of TOKEN_RE, without the regex in the common case. */
function isWordlike(t: string): boolean {
  const c = t.charCodeAt(0);
  if (c === 33 || c === 63 || c === 58 || c === 59 || c === 61) return false;
  // Emoji tokens are single code points; longer tokens are letter/digit runs.
  return t.length > 2 || WORDLIKE_RE.test(t);
}
