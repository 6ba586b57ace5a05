import type { Example } from "./data";
import { EMOTION_LEXICON, LABEL_EMOJI, LEXICON_BY_LABEL } from "./emotion-lexicon";

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
export function augmentedCopy(
  e: Example,
  labels: readonly string[],
  dict: Map<string, string[]>,
  o: AugmentOptions,
  rand: () => number,
): Example {
  let text = codeSwitch(e.text, dict, o.switchRate, rand);
  const withEmoji = labels.filter((l, k) => e.y[k] === 1 && LABEL_EMOJI[l]);
  if (withEmoji.length && rand() < o.emojiRate) {
    const choices = LABEL_EMOJI[withEmoji[Math.floor(rand() * withEmoji.length)]];
    text += ` ${choices[Math.floor(rand() * choices.length)]}`;
  }
  return { text, y: e.y };
}

/** Short French examples from the emotion lexicon: each translation, alone and with "!", as an example of its word's label. */
export function lexiconExamples(labels: readonly string[], repeat: number): Example[] {
  const out: Example[] = [];
  for (const [label, words] of Object.entries(LEXICON_BY_LABEL)) {
    const y = new Uint8Array(labels.length);
    y[labels.indexOf(label)] = 1;
    for (let r = 0; r < repeat; r++)
      for (const frs of Object.values(words)) for (const fr of frs) out.push({ text: fr, y }, { text: `${fr} !`, y });
  }
  return out;
}

/**
 * A longer post made of 2 or 3 examples of one block (one language), labelled with the union
 * of their emotions; neutral only when every part is neutral. GoEmotions comments average 70
 * characters, posts and tweets 200 and more: with a mean-pooled bag, a model that only saw
 * short texts reads a long one, whose emotional n-grams are a small share of the bag, as
 * neutral. These examples teach it that an emotion stays when the text around it grows.
 */
export function concatenation(block: Example[], labels: readonly string[], rand: () => number): Example {
  const neutral = labels.indexOf("neutral");
  const parts = Array.from({ length: rand() < 0.5 ? 2 : 3 }, () => block[Math.floor(rand() * block.length)]);
  const y = new Uint8Array(labels.length);
  for (const p of parts) for (let k = 0; k < y.length; k++) y[k] |= p.y[k];
  if (y.some((v, k) => v === 1 && k !== neutral)) y[neutral] = 0;
  return { text: parts.map((p) => p.text).join(" "), y };
}
