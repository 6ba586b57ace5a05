import { MICRO_BATCH, type EmotionInput, type EmotionModel } from "./model";

/** Emotion scores of one note's text, in the model's label order; null when there is nothing to score. */
export type NoteScorer = (text: string, lang?: string) => Promise<{ scores: number[]; model: string } | null>;

/**
 * Scores notes as the inbox stores them. Notes handled concurrently are gathered into one
 * micro-batch per turn of the event loop, so a burst costs one ONNX run per batch rather
 * than one per note, while a lone note waits for nothing.
 */
export function inlineScorer(model: EmotionModel): NoteScorer {
  const pending: Array<{
    input: EmotionInput;
    resolve: (v: Awaited<ReturnType<NoteScorer>>) => void;
    reject: (e: unknown) => void;
  }> = [];

  async function flush() {
    const batch = pending.splice(0, MICRO_BATCH);
    if (pending.length) setImmediate(flush);
    try {
      const results = await model.classify(batch.map((p) => p.input));
      batch.forEach((p, i) => {
        const r = results[i];
        p.resolve(r ? { scores: model.labels.map((l) => r.scores[l]), model: model.version } : null);
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  return (text, lang) =>
    new Promise((resolve, reject) => {
      if (pending.push({ input: { text, lang }, resolve, reject }) === 1) setImmediate(flush);
    });
}
