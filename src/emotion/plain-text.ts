const URL_RE = /\b(?:https?:\/\/|www\.)\S+/giu;
// Fediverse mentions (@user or @user@host); the lookbehind keeps e-mail-like words intact.
const MENTION_RE = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_.-]+(?:@[\p{L}\p{N}_.-]+)?/gu;
const TAG_RE = /<[^>]*>/g;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };
const MAYBE_MARKUP_RE = /[<&@#]|\[NAME\]|https?:|www\./i;
const ENTITY_RE = /&(amp|lt|gt|quot|apos|nbsp|#39);/g;

/**
 * Text with HTML markup, links, @mentions and Reddit's "[NAME]" placeholder removed; hashtags
 * keep their words ("#colère" → "colère"). A note whose plain text is blank carries no emotion
 * of its own, so the classifier answers null for it rather than a fake "neutral".
 */
export function toPlainText(text: string): string {
  // Most posts have nothing to strip; skipping eight regex passes halves the tokenizer's cost.
  if (!MAYBE_MARKUP_RE.test(text)) return text;
  return text
    .replace(/<br\s*\/?>|<\/p>/gi, " ")
    .replace(TAG_RE, " ")
    .replace(ENTITY_RE, (_, e: string) => ENTITIES[e] ?? " ")
    .replace(URL_RE, " ")
    .replace(MENTION_RE, " ")
    .replace(/\[NAME\]/g, " ")
    .replace(/#(?=[\p{L}\p{N}])/gu, "");
}

export function isBlankNote(text: string): boolean {
  return toPlainText(text).trim() === "";
}
