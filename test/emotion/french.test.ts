// A French note's words read as French: function words take the vector and frequency weight of
// their English counterpart, and negation reads as negation; English notes are read as before.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { frenchWordTokens, isFrench } from "../../src/emotion/french";
import { loadEmotionModel } from "../../src/emotion/model";
import { MODELS_DIR } from "../../src/emotion/model-file";
import { featureStrings, featurize, tokens } from "../../src/emotion/tokenizer";

describe("French word reading", () => {
  it("reads negation as negation, function words as their English counterparts", () => {
    expect(frenchWordTokens(tokens("Je ne suis pas content"))).toEqual(["i", null, "am", "not", "content"]);
    expect(frenchWordTokens(tokens("Il n'y a plus rien"))).toEqual(["he", null, "there", "has", "not", "nothing"]);
    expect(frenchWordTokens(tokens("plus grand que jamais"))).toEqual(["more", "grand", "that", "never"]);
    expect(frenchWordTokens(tokens("Personne ne sait, personne"))).toEqual(["personne", null, "sait", "nobody"]);
    expect(frenchWordTokens(tokens("du pain sale de la ville"))).toEqual([
      "of",
      "bread",
      "dirty",
      "of",
      "the",
      "ville",
    ]);
  });

  it("follows the note's language tag", () => {
    expect(["fr", "fr-CA", "FR_be"].map(isFrench)).toEqual([true, true, true]);
    expect(["en", "fra", "frisian", "", null, undefined].map(isFrench)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("changes only the word channel of French notes; English and untagged notes are featurized as in training", async () => {
    const model = await loadEmotionModel();
    const cfg = model.meta.tokenizer;
    const words = readFileSync(MODELS_DIR + model.meta.vocabulary.file, "utf8").split("\n");
    const vocab = new Map(words.map((w, i) => [w, i]));
    const fr = "Ce n'est pas normal, on se moque de nous";
    const plain = featureStrings(fr, cfg, vocab);
    const french = featureStrings(fr, cfg, vocab, "fr");
    // Hashed n-grams are the same; the word ids differ.
    expect(french.filter((f) => !f.startsWith("v\u0001"))).toEqual(plain.filter((f) => !f.startsWith("v\u0001")));
    expect(plain).toContain("v\u0001pas");
    expect(french).not.toContain("v\u0001pas");
    expect(french).toContain("v\u0001not");
    expect(french).toContain("v\u0001of");
    expect(Array.from(model.features(fr, "fr"))).toEqual(Array.from(featurize(fr, cfg, vocab, "fr")));
    expect(Array.from(model.features(fr, "fr"))).not.toEqual(Array.from(model.features(fr)));
    const en = "This is not fine, they are mocking us";
    expect(Array.from(model.features(en, "en"))).toEqual(Array.from(model.features(en)));
    // The classifier reads the tag: the same French text scores differently with and without it.
    const [tagged, untagged] = await model.classify([{ text: fr, lang: "fr" }, { text: fr }]);
    expect(tagged!.scores).not.toEqual(untagged!.scores);
  });

  it("French negation turns a positive sentence down through the real model, and the French reading adds to it", async () => {
    const model = await loadEmotionModel();
    const positive = ["joy", "approval", "admiration", "love", "optimism", "excitement"];
    const negative = ["disapproval", "annoyance", "anger", "disappointment", "sadness"];
    const top = (r: { scores: Record<string, number> } | null, labels: string[]) =>
      Math.max(...labels.map((l) => r!.scores[l]));
    for (const [plain, negated] of [
      ["Je suis content de cette campagne", "Je ne suis pas content de cette campagne"],
      ["C'est une bonne idée", "Ce n'est pas une bonne idée"],
      ["Je suis d'accord", "Je ne suis pas d'accord"],
    ]) {
      const [a, b, untagged] = await model.classify([
        { text: plain, lang: "fr" },
        { text: negated, lang: "fr" },
        { text: negated },
      ]);
      // "ne … pas" lowers the positive emotions and raises the negative ones…
      expect(top(b, positive), negated).toBeLessThan(top(a, positive) - 0.2);
      expect(top(b, negative), negated).toBeGreaterThan(top(a, negative) + 0.05);
      // …and read as French ("pas" → "not", "ne" silent) it lowers them further than read untagged.
      if (plain !== "Je suis d'accord") expect(top(b, positive), negated).toBeLessThan(top(untagged, positive));
    }
  });
});
