/**
 * The emotion classifier's entry point (see models/MODEL_CARD.md): outside code imports this file,
 * never the inner ones, so the runtime, the model file's format and the tokenizer can change behind it.
 * Only the model's own build (scripts/model) and its unit tests (test/emotion) reach inside.
 */
export {
  loadEmotionModel,
  openEmotionModel,
  MICRO_BATCH,
  type EmotionInput,
  type EmotionModel,
  type EmotionResult,
} from "./model";
export { MODEL_JSON, MODELS_DIR, readModelJson, type ModelJson } from "./model-file";
export { inlineScorer, type NoteScorer } from "./inline";
export { RATE_LANGUAGE_PATTERNS, RATE_LANGUAGES, rateLanguageOf, type RateLanguage } from "./language";
export { toPlainText, isBlankNote } from "./plain-text";
export { adjustPosterior, emPrior } from "./prior-shift";
/** Stable string hash (FNV-1a), also used to assign calibration folds. */
export { fnv1a } from "./tokenizer";
