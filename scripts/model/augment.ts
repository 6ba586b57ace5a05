import type { Example } from "./data";
import { EMOTION_LEXICON, LABEL_EMOJI } from "./emotion-lexicon";

export interface AugmentOptions {
  /** Probability of swapping each dictionary word for a French translation. */
  switchRate: number;
  /** Probability of appending an emoji of one of the example's labels. */
  emojiRate: number;
}

/**
 * The text with each dictionary word swapped for a random translation with probability
 * `rate`, and each emotion-lexicon word always swapped: those are few in GoEmotions and are
 * the words that carry the labels.
 */
export function codeSwitch(text: string, dict: Map<string, string[]>, rate: number, rand: () => number): string {
  return text.replace(/[A-Za-z]+/g, (w) => {
    const lower = w.toLowerCase();
    const frs = dict.get(lower);
    if (!frs || (rand() >= rate && !Object.hasOwn(EMOTION_LEXICON, lower))) return w;
    return frs[Math.floor(rand() * frs.length)];
  });
}

/**
 * A code-switched English/French copy of a training example, sometimes ending with an emoji
 * of one of its labels (GoEmotions has few emoji, posts have many).
 */
export function augmentedCopy(e: Example, labels: readonly string[], dict: Map<string, string[]>, o: AugmentOptions, rand: () => number): Example {
  let text = codeSwitch(e.text, dict, o.switchRate, rand);
  const withEmoji = labels.filter((l, k) => e.y[k] === 1 && LABEL_EMOJI[l]);
  if (withEmoji.length && rand() < o.emojiRate) {
    const choices = LABEL_EMOJI[withEmoji[Math.floor(rand() * withEmoji.length)]];
    text += " " + choices[Math.floor(rand() * choices.length)];
  }
  return { text, y: e.y };
}

/**
 * Short French examples from the emotion lexicon: each English word gets the label with the
 * highest lift among the GoEmotions training texts that contain it (neutral excluded, at
 * least 3 such texts), and its French translations, alone and with "!", become examples of
 * that label. Data-driven labels; the lexicon only supplies the translations.
 */
export function lexiconExamples(en: Example[], labels: readonly string[], repeat: number): Example[] {
  const n = labels.length;
  const neutral = labels.indexOf("neutral");
  const words = en.map((e) => new Set(e.text.toLowerCase().match(/[a-z]+/g) ?? []));
  const prior = labels.map((_, k) => (en.reduce((s, e) => s + e.y[k], 0) + 1) / (en.length + 2));
  const out: Example[] = [];
  for (const [word, frs] of Object.entries(EMOTION_LEXICON)) {
    const docs = en.filter((_, i) => words[i].has(word));
    if (docs.length < 3) continue;
    let best = -1;
    let bestLift = 1;
    for (let k = 0; k < n; k++) {
      const hits = docs.reduce((s, e) => s + e.y[k], 0);
      const lift = (hits + 1) / (docs.length + 2) / prior[k];
      if (k !== neutral && hits >= 2 && lift > bestLift) (best = k), (bestLift = lift);
    }
    if (best < 0) continue;
    const y = new Uint8Array(n);
    y[best] = 1;
    for (let r = 0; r < repeat; r++) for (const fr of frs) out.push({ text: fr, y }, { text: `${fr} !`, y });
  }
  return out;
}
