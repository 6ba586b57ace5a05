import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEmotionModel, openEmotionModel } from "../../src/emotion/model";
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
