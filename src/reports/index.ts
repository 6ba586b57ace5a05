// Sentiment reports: the one entry point for code outside src/reports (pages, console, the note
// write path, the server, bench/ and scripts/; scripts/check-layers.ts enforces it). Four parts:
// model/ (the emotion model as reports see it), statistics/ (sums and estimators, no database),
// rollups/ (the per window × author × target sufficient statistics: defined and computed in
// memory by rollup-in-memory.ts; rollup-incremental.ts applies each note's change as it is
// written, rollup-rebuild.ts recomputes stale rollups in SQL at start, after a model or rule
// change) and publication/ (aggregate.ts and report.ts read them into a published report, with
// privacy.ts, private.ts and noise.ts). A test checks every rollup path gives the same tables.

export {
  DEFAULT_ESTIMATOR,
  reportFromRows,
  TOTAL_KEY,
  type AdjustedEstimator,
  type Report,
  type TargetEstimates,
  type ViewEstimates,
  type WindowReport,
} from "./publication/aggregate";
export {
  CALIBRATION_FILE,
  CALIBRATION_FOLDS,
  calibrationReferenceFor,
  foldOf,
  type LanguageCalibration,
  type LanguageRates,
  type RateStats,
} from "./model/calibration-file";
export { reportToCsv } from "./publication/csv";
export {
  adjustedClassifyAndCount,
  MIN_DISCRIMINATION,
  probabilisticAdjustedClassifyAndCount,
  type Estimate,
} from "./statistics/estimators";
export { shippedReportEval, type ReportEval } from "./model/eval-file";
export { ESTIMATOR_CALIBRATION, modelInfoFromJson, shippedModel, useCalibrationFold } from "./model/shipped-model";
export { recalibrated } from "./model/recalibration";
export { noiseThresholds } from "./publication/noise-cost";
export { isSuppressed, type Suppressed } from "./publication/privacy";
export { query } from "./rollups/db";
export type { ScoredRow } from "./rollups/rollup-in-memory";
export { rebuildRollups, rebuildStaleRollups } from "./rollups/rollup-rebuild";
export { scopeReport } from "./publication/report";
export { applyNoteChanges, type NoteChange, type RolledNote } from "./rollups/rollup-incremental";
export { WEAK_SIGNAL_TARGETS, WEAK_SIGNAL_TEST, type SignalName, type WeakSignal } from "./statistics/weak-signals";
export { CAMPAIGN_WINDOW, PUBLISHED_SKEW_MS, weeksBefore, windowKey, type WindowSpec } from "./rollups/windows";
export { emotionName, percentIn, suppressedIn } from "./publication/words";
