import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { EMOTION_LEXICON } from "./emotion-lexicon";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** dictd's index numbers: base64 digits, most significant first. */
function b64num(s: string): number {
  let n = 0;
  for (const c of s) n = n * 64 + B64.indexOf(c);
  return n;
}

/** headword → definition text of a dictd dictionary (.index + gzip .dict.dz). */
export function readDictd(base: string): Map<string, string> {
  const body = gunzipSync(readFileSync(`${base}.dict.dz`));
  const out = new Map<string, string>();
  for (const line of readFileSync(`${base}.index`, "utf8").split("\n")) {
    const [head, off, len] = line.split("\t");
    if (!len || head.startsWith("00database")) continue;
    out.set(head, body.subarray(b64num(off), b64num(off) + b64num(len)).toString("utf8"));
  }
  return out;
}

/** Translations listed after the entry's first line ("1. peur", "crainte, effroi"). */
export function senses(definition: string): string[] {
  return definition
    .split("\n")
    .slice(1)
    .flatMap((l) => l.replace(/^\s*\d+\.\s*/, "").split(/[,;]/))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && !/[()<>/]/.test(s));
}

/**
 * English single word → French translations, from FreeDict eng-fra, the reversed fra-eng
 * entries (the two lists cover different words) and the project's emotion lexicon. Used to make code-switched
 * training copies, so that real French words (not only Apertium's choices) meet the labels.
 */
export function englishToFrench(datasets: string): Map<string, string[]> {
  const dir = join(datasets, "freedict");
  const map = new Map<string, Set<string>>();
  const add = (en: string, fr: string) => {
    if (!/^[a-z]+$/.test(en) || fr === en) return;
    if (!map.has(en)) map.set(en, new Set());
    map.get(en)!.add(fr);
  };
  for (const [head, def] of readDictd(join(dir, "freedict-eng-fra")))
    for (const fr of senses(def)) add(head.toLowerCase(), fr);
  for (const [head, def] of readDictd(join(dir, "freedict-fra-eng")))
    for (const en of senses(def)) add(en, head.toLowerCase());
  for (const [en, frs] of Object.entries(EMOTION_LEXICON)) for (const fr of frs) add(en, fr);
  return new Map([...map].map(([en, frs]) => [en, [...frs].sort()]));
}
