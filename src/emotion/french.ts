/**
 * How a French note's words reach the word channel (see MODEL_CARD.md, "French input").
 *
 * The word vectors are English GloVe rows, weighted by their English frequency; French words
 * that are also English words (de, la, est, pas, ne, on, as, car, sale, pain…) would otherwise
 * read as those English words, with the weight of a rare English word (≈ 1.0 for "de", against
 * 0.12 for "the"). For a note in French, each such word is read as its English counterpart
 * instead: the function words take the vector *and* the frequency weight of the English
 * function word they stand for ("de" → "of"), and negation reads as negation ("ne … pas",
 * "jamais", "ne … plus", "rien" → "not", "never", "nothing"). The hashed n-gram channel is
 * unchanged (it was trained on French text), so only the word ids differ; the network is the same.
 *
 * Tokens are as the tokenizer produces them: lower case, accents folded, apostrophes split
 * ("n'est" → "n", "est"; "où" → "ou").
 */

import { rateLanguageOf } from "./language";

/** French token → the English word whose vector stands for it in a French note. */
export const FRENCH_AS_ENGLISH: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // articles, prepositions, conjunctions
    de: "of",
    d: "of",
    des: "of",
    du: "of",
    la: "the",
    le: "the",
    les: "the",
    l: "the",
    un: "a",
    une: "a",
    et: "and",
    ou: "or",
    mais: "but",
    donc: "so",
    car: "because",
    si: "if",
    ni: "nor",
    que: "that",
    qu: "that",
    qui: "who",
    quoi: "what",
    quand: "when",
    comme: "like",
    en: "in",
    dans: "in",
    pour: "for",
    sur: "on",
    au: "to",
    aux: "to",
    a: "has",
    avec: "with",
    par: "by",
    sans: "without",
    sous: "under",
    entre: "between",
    apres: "after",
    avant: "before",
    chez: "at",
    contre: "against",
    vers: "towards",
    y: "there",
    // pronouns and determiners
    je: "i",
    j: "i",
    tu: "you",
    il: "he",
    elle: "she",
    on: "we",
    nous: "we",
    vous: "you",
    ils: "they",
    elles: "they",
    me: "me",
    m: "me",
    te: "you",
    t: "you",
    se: "itself",
    s: "itself",
    lui: "him",
    moi: "me",
    toi: "you",
    eux: "them",
    ce: "this",
    c: "it",
    ca: "it",
    cet: "this",
    cette: "this",
    ces: "these",
    mon: "my",
    ma: "my",
    mes: "my",
    ton: "your",
    ta: "your",
    tes: "your",
    son: "his",
    sa: "his",
    ses: "his",
    notre: "our",
    nos: "our",
    votre: "your",
    vos: "your",
    leur: "their",
    leurs: "their",
    tout: "all",
    tous: "all",
    toute: "all",
    toutes: "all",
    // frequent verbs and adverbs
    est: "is",
    sont: "are",
    etait: "was",
    etaient: "were",
    suis: "am",
    es: "are",
    sommes: "are",
    etes: "are",
    ete: "been",
    etre: "be",
    sera: "will",
    ai: "have",
    as: "have",
    ont: "have",
    avons: "have",
    avez: "have",
    avoir: "have",
    fait: "done",
    faire: "do",
    peut: "can",
    va: "goes",
    vont: "go",
    tres: "very",
    bien: "well",
    aussi: "also",
    encore: "still",
    deja: "already",
    alors: "then",
    ici: "here",
    // French words spelt like English words of another meaning
    pain: "bread",
    sale: "dirty",
    chat: "cat",
    coin: "corner",
    four: "oven",
    main: "hand",
    rue: "street",
    // negation (see NEGATORS for "plus" and "personne", which negate only after "ne")
    pas: "not",
    jamais: "never",
    rien: "nothing",
    aucun: "no",
    aucune: "no",
    guere: "hardly",
  }),
);

/** Read as negation only after "ne"/"n'" in the same clause ("il n'y a plus" vs "plus grand"). */
const NEGATORS: ReadonlyMap<string, string> = new Map([
  ["plus", "not"],
  ["personne", "nobody"],
]);
/** "ne"/"n'" carry no meaning of their own: the word that completes them does. */
const NE = new Set(["ne", "n"]);
/** How far after "ne" its completing word may come ("ne le lui dis plus"). */
const NE_REACH = 4;

/** Whether a note's language tag (BCP 47, e.g. "fr", "fr-CA") is French. */
export const isFrench = (lang: string | null | undefined): boolean => rateLanguageOf(lang) === "fr";

/**
 * The word each token is read as for the word channel of a French note; null: no word id
 * ("ne", whose completing word carries the negation). Tokens without a counterpart stay as they are.
 */
export function frenchWordTokens(toks: readonly string[]): Array<string | null> {
  let lastNe = -Infinity;
  return toks.map((t, i) => {
    if (NE.has(t)) {
      lastNe = i;
      return null;
    }
    const negator = NEGATORS.get(t);
    if (negator !== undefined) return i - lastNe <= NE_REACH ? negator : t === "plus" ? "more" : t;
    return FRENCH_AS_ENGLISH.get(t) ?? t;
  });
}
