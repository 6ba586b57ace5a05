/** Public API of the emotion classifier (see models/MODEL_CARD.md). */
export {
  loadEmotionModel,
  openEmotionModel,
  MICRO_BATCH,
  type EmotionInput,
  type EmotionModel,
  type EmotionResult,
} from "./model";
export { toPlainText, isBlankNote } from "./plain-text";
export { adjustPosterior, emPrior } from "./prior-shift";
export type { ModelJson } from "./model-file";
