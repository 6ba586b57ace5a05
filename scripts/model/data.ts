import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One labelled text; y[i] = 1 when label i is present. */
export interface Example {
  text: string;
  y: Uint8Array;
}

export interface GoEmotionsMeta {
  labels: string[];
  /** Ekman group → member label names; "neutral" is its own group. */
  ekman: Record<string, string[]>;
}

export function loadMeta(datasets: string): GoEmotionsMeta {
  const dir = join(datasets, "goemotions");
  const labels = readFileSync(join(dir, "labels.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const ekman = JSON.parse(readFileSync(join(dir, "ekman_mapping.json"), "utf8")) as Record<string, string[]>;
  return { labels, ekman: { ...ekman, neutral: ["neutral"] } };
}

/** A GoEmotions-format split: `text <TAB> label indices <TAB> id` per row. */
export function loadSplit(path: string, nLabels: number): Example[] {
  const out: Example[] = [];
  for (const row of readFileSync(path, "utf8").split("\n")) {
    if (!row) continue;
    const [text, ids] = row.split("\t");
    const y = new Uint8Array(nLabels);
    for (const i of ids.split(",")) y[Number(i)] = 1;
    out.push({ text, y });
  }
  return out;
}

export function goEmotionsPath(datasets: string, split: "train" | "dev" | "test", french = false): string {
  return join(datasets, french ? "goemotions-fr-mt" : "goemotions", `${split}.tsv`);
}

/** EmoDIFT's columns and the Ekman group each maps to (Mefiance and Ironie have none). */
export const EMODIFT_GROUPS: Record<string, string> = {
  Colere: "anger",
  Degout: "disgust",
  Peur: "fear",
  Tristesse: "sadness",
  Surprise: "surprise",
  Neutre: "neutral",
};

export interface EmodiftRow {
  /** The row's id in the file (`num`): folds for cross-fitting are drawn from it, never from the text. */
  num: string;
  text: string;
  /** Ekman group → present (level ≥ 0.33). */
  groups: Record<string, boolean>;
}

/** EmoDIFT French tweets: evaluation only, never training or tuning. */
export function loadEmodift(datasets: string): EmodiftRow[] {
  const rows = parseCsv(readFileSync(join(datasets, "emodift-fr-dev", "dev.csv"), "utf8"));
  const header = rows[0];
  return rows
    .slice(1)
    .filter((r) => r.length === header.length)
    .map((r) => {
      const groups: Record<string, boolean> = {};
      for (const [col, group] of Object.entries(EMODIFT_GROUPS)) groups[group] = Number(r[header.indexOf(col)]) >= 0.33;
      return { num: r[header.indexOf("num")], text: r[header.indexOf("tweet")], groups };
    });
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(src: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
