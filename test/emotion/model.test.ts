import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEmotionModel, MAX_IDS_PER_RUN, MICRO_BATCH, openEmotionModel, runsOf } from "../../src/emotion/model";
import { MODELS_DIR } from "../../src/emotion/model-file";
import { isBlankNote, toPlainText } from "../../src/emotion/plain-text";

const ANGER_GROUP = ["anger", "annoyance", "disapproval"];

describe("shipped emotion model", () => {
  it("loads once, with 28 labels and a threshold for each", async () => {
    const model = await loadEmotionModel();
    expect(await loadEmotionModel()).toBe(model);
    expect(model.labels).toHaveLength(28);
    for (const l of model.labels) expect(model.thresholds[l]).toBeGreaterThan(0);
  });

  it("gets clear English and French cases right", async () => {
    const model = await loadEmotionModel();
    const [thanks, fear, colere] = await model.classify([
      { text: "Thank you so much for organising this!", lang: "en" },
      { text: "J'ai peur pour la santé de mes enfants", lang: "fr" },
      { text: "Je suis en colère", lang: "fr" },
    ]);
    expect(thanks?.labels).toContain("gratitude");
    expect(fear?.labels).toContain("fear");
    expect(colere?.labels.some((l) => ANGER_GROUP.includes(l))).toBe(true);
    expect(Object.keys(thanks!.scores)).toEqual([...model.labels]);
  });

  it("puts French outrage in the anger group", async () => {
    const model = await loadEmotionModel();
    const [scandal] = await model.classify([{ text: "C'est un scandale, on se moque de nous !", lang: "fr" }]);
    expect(scandal?.labels.some((l) => ANGER_GROUP.includes(l))).toBe(true);
  });

  it("gives no emotion (null) to a note without text of its own", async () => {
    const model = await loadEmotionModel();
    const texts = [
      "",
      "   ",
      "https://example.org/a?b=c",
      '<p><a href="https://x.y">https://x.y</a></p>',
      "@alice@example.social https://x.y",
    ];
    expect(await model.classify(texts.map((text) => ({ text })))).toEqual(texts.map(() => null));
  });

  it("scores a batch of long and short notes as it scores each alone, in runs of bounded size", async () => {
    const model = await loadEmotionModel();
    const long =
      "Encore une fois on nous ment sur la fumée de l'usine, j'ai peur pour mes enfants et je suis en colère. ".repeat(
        12,
      );
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      text: i % 3 ? `Merci ${i} !` : `${long} ${i}`,
      lang: "fr",
    }));
    const ids = inputs.map((n) => model.features(n.text, n.lang));
    // the batch needs several runs: its padded size is far over one run's budget
    expect(ids.length * Math.max(...ids.map((f) => f.length))).toBeGreaterThan(4 * MAX_IDS_PER_RUN);
    const together = await model.probabilities(ids);
    for (const [i, f] of ids.entries()) {
      const [alone] = await model.probabilities([f]);
      for (let k = 0; k < alone.length; k++) expect(together[i][k]).toBeCloseTo(alone[k], 5);
    }
  });

  it("refuses a vocabulary file that is not the one the model JSON names", async () => {
    const model = await loadEmotionModel();
    const dir = mkdtempSync(join(tmpdir(), "ensemble-model-"));
    try {
      cpSync(MODELS_DIR, dir, { recursive: true });
      // One more word would shift no id, but it is not the vocabulary the network was trained with.
      appendFileSync(join(dir, model.meta.vocabulary.file), "\nzzzz");
      await expect(openEmotionModel(`${dir}/`)).rejects.toThrow(`${model.meta.vocabulary.file}: SHA-256`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("runsOf (ONNX runs of a batch sorted by length)", () => {
  it("keeps each run within the padded-id budget and MICRO_BATCH notes, in order, each note once", () => {
    const lengths = [...Array.from({ length: 600 }, (_, i) => 1 + (i % 7)), 300, 300, 900, 5000];
    const sorted = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b]);
    const runs = runsOf(sorted, (i) => lengths[i]);
    expect(runs.flat()).toEqual(sorted);
    for (const run of runs) {
      expect(run.length).toBeLessThanOrEqual(MICRO_BATCH);
      const padded = run.length * Math.max(...run.map((i) => lengths[i]));
      // only a note longer than the whole budget goes over it, alone
      if (run.length > 1) expect(padded).toBeLessThanOrEqual(MAX_IDS_PER_RUN);
    }
    expect(runs.at(-1)).toEqual([lengths.indexOf(5000)]);
    // short notes still fill whole micro-batches
    expect(runs[0]).toHaveLength(MICRO_BATCH);
  });
});

describe("toPlainText", () => {
  it("drops markup, links and mentions but keeps hashtag words", () => {
    expect(
      toPlainText('<p>Merci <a href="https://a.b">@bob</a> &amp; #Rouen https://t.co/x</p>')
        .replace(/\s+/g, " ")
        .trim(),
    ).toBe("Merci & Rouen");
    expect(isBlankNote("<p>https://t.co/x @a@b.c</p>")).toBe(true);
    expect(isBlankNote("#colère")).toBe(false);
  });
});
