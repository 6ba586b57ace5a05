import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { isBlankNote } from "./plain-text";
import { featurize, type TokenizerConfig, type Vocabulary } from "./tokenizer";
import { MODELS_DIR, readModelJson, type ModelJson } from "./model-file";

export interface EmotionInput {
  text: string;
  /** The note's language tag (BCP 47); French notes read their words as French (src/emotion/french.ts). */
  lang?: string | null;
}

export interface EmotionResult {
  /** Probability of each of the 28 labels. */
  scores: Record<string, number>;
  /** Labels whose probability reaches their dev-tuned threshold, most probable first. */
  labels: string[];
}

export interface EmotionModel {
  version: string;
  labels: readonly string[];
  thresholds: Readonly<Record<string, number>>;
  /** The whole model JSON: tokenizer spec, group thresholds, calibration block for estimators. */
  meta: ModelJson;
  /** One result per input, in order; null for a note with no text of its own (blank, links, mentions). */
  classify(inputs: EmotionInput[]): Promise<Array<EmotionResult | null>>;
  /** The feature ids of a text as this model reads them (tokenizer + vocabulary), given its language tag. */
  features(text: string, lang?: string | null): Uint32Array;
  /** Raw probabilities [n][28] of already featurized texts (no null handling), for estimators and tests. */
  probabilities(ids: Uint32Array[]): Promise<Float32Array[]>;
}

/** Notes gathered per classify() call by the inbox, the batch CLI and the bench. */
export const MICRO_BATCH = 256;

/**
 * At most this many padded ids (notes × the longest note's ids) go into one ONNX run. ONNX
 * Runtime's arena keeps the largest run's intermediate tensors for the life of the process: in a
 * process of its own, runs of 64 tweet-sized notes (19,200 ids) left it at 172 MiB resident, runs
 * of 8 (2,400 ids) at 126 MiB. The inbox's replies are usually short, but one batch of long posts
 * would otherwise hold that memory for good; runs of this size lose no speed (`bench:model`).
 */
export const MAX_IDS_PER_RUN = 4096;

let loading: Promise<EmotionModel> | undefined;

/** The shipped model, loaded once per process (the ONNX session is the expensive part). */
export function loadEmotionModel(): Promise<EmotionModel> {
  loading ??= openEmotionModel(MODELS_DIR).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** A model from another directory (a candidate being evaluated); not cached. */
export async function openEmotionModel(dir: string): Promise<EmotionModel> {
  const meta = readModelJson(dir);
  const bytes = readChecked(dir, meta.onnx);
  const words = readChecked(dir, meta.vocabulary).toString("utf8").split("\n").slice(0, meta.vocabulary.words);
  const vocab: Vocabulary = new Map(words.map((w, i) => [w, i]));
  // One thread: the server runs this beside request handling, and tiny batches do not scale anyway.
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  return new OnnxEmotionModel(meta, vocab, session);
}

/** A file the model JSON names, refused unless its SHA-256 is the one recorded there. */
function readChecked(dir: string, ref: { file: string; sha256: string }): Buffer {
  const bytes = readFileSync(dir + ref.file);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== ref.sha256) throw new Error(`${ref.file}: SHA-256 ${sha} does not match ${ref.sha256} in the model JSON`);
  return bytes;
}

class OnnxEmotionModel implements EmotionModel {
  readonly version: string;
  readonly labels: readonly string[];
  readonly thresholds: Readonly<Record<string, number>>;
  readonly meta: ModelJson;
  private readonly cfg: TokenizerConfig;

  constructor(
    meta: ModelJson,
    private readonly vocab: Vocabulary,
    private readonly session: ort.InferenceSession,
  ) {
    this.meta = meta;
    this.version = meta.version;
    this.labels = meta.labels;
    this.thresholds = meta.thresholds;
    this.cfg = meta.tokenizer;
  }

  async classify(inputs: EmotionInput[]): Promise<Array<EmotionResult | null>> {
    const out: Array<EmotionResult | null> = new Array(inputs.length).fill(null);
    const todo: number[] = [];
    const ids: Uint32Array[] = [];
    for (let i = 0; i < inputs.length; i++) {
      if (isBlankNote(inputs[i].text)) continue;
      const f = this.features(inputs[i].text, inputs[i].lang);
      // Punctuation-only text has no features and so no emotion either.
      if (f.length === 0) continue;
      todo.push(i);
      ids.push(f);
    }
    const probs = await this.probabilities(ids);
    for (let k = 0; k < todo.length; k++) out[todo[k]] = this.result(probs[k]);
    return out;
  }

  features(text: string, lang?: string | null): Uint32Array {
    return featurize(text, this.cfg, this.vocab, lang);
  }

  async probabilities(ids: Uint32Array[]): Promise<Float32Array[]> {
    // Batching texts of similar length keeps the padding (wasted Gather work) small.
    const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
    const out: Float32Array[] = new Array(ids.length);
    for (const chunk of runsOf(order, (i) => Math.max(1, ids[i].length))) {
      const probs = await this.runBatch(chunk.map((i) => ids[i]));
      for (const [k, i] of chunk.entries()) out[i] = probs[k];
    }
    return out;
  }

  private async runBatch(batch: Uint32Array[]): Promise<Float32Array[]> {
    const n = batch.length;
    const len = Math.max(1, ...batch.map((b) => b.length));
    const idT = new Int32Array(n * len);
    const wT = new Float32Array(n * len);
    for (let i = 0; i < n; i++) {
      const row = batch[i];
      idT.set(row, i * len);
      wT.fill(row.length ? 1 / row.length : 0, i * len, i * len + row.length);
    }
    const { ids, weights } = this.meta.onnx.inputs;
    const res = await this.session.run({
      [ids]: new ort.Tensor("int32", idT, [n, len]),
      [weights]: new ort.Tensor("float32", wT, [n, len]),
    });
    const data = res[this.meta.onnx.output].data as Float32Array;
    const k = this.labels.length;
    return Array.from({ length: n }, (_, i) => data.slice(i * k, (i + 1) * k));
  }

  private result(p: Float32Array): EmotionResult {
    const scores: Record<string, number> = {};
    const labels: string[] = [];
    this.labels.forEach((label, k) => {
      scores[label] = p[k];
      if (p[k] >= this.thresholds[label]) labels.push(label);
    });
    labels.sort((a, b) => scores[b] - scores[a]);
    return { scores, labels };
  }
}

/**
 * Splits notes sorted by length (shortest first) into ONNX runs of at most MICRO_BATCH notes and
 * MAX_IDS_PER_RUN padded ids; a note longer than that alone is a run of its own.
 */
export function runsOf(sorted: number[], lengthOf: (i: number) => number): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (const i of sorted) {
    // sorted ascending, so this note is the run's longest: the padded size is its length × the count
    if (run.length > 0 && (run.length === MICRO_BATCH || (run.length + 1) * lengthOf(i) > MAX_IDS_PER_RUN)) {
      runs.push(run);
      run = [];
    }
    run.push(i);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
