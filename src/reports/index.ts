// Sentiment reports: the one entry point for code outside src/reports (pages, console, the note
// write path, the server). The rollups (per window × author × target sufficient statistics) are
// defined and computed in memory by rollup-in-memory.ts; two paths keep the database's copy:
// rollup-incremental.ts applies each note's change as it is written, and rollup-rebuild.ts
// recomputes stale rollups in SQL at start (after a model or rule change). aggregate.ts and
// report.ts read them into a report; a test checks every path gives the same tables.

export {
  DEFAULT_ESTIMATOR,
  TOTAL_KEY,
  type AdjustedEstimator,
  type Report,
  type TargetEstimates,
  type ViewEstimates,
  type WindowReport,
} from "./publication/aggregate";
export type { LanguageCalibration } from "./model/calibration-file";
export { reportToCsv } from "./publication/csv";
export { MIN_DISCRIMINATION, type Estimate } from "./statistics/estimators";
export { shippedReportEval, type ReportEval } from "./model/eval-file";
export { ESTIMATOR_CALIBRATION, shippedModel } from "./model/shipped-model";
export { noiseThresholds } from "./publication/noise-cost";
export { isSuppressed, type Suppressed } from "./publication/privacy";
export { rebuildStaleRollups } from "./rollups/rollup-rebuild";
export { scopeReport } from "./publication/report";
export { applyNoteChanges, type NoteChange, type RolledNote } from "./rollups/rollup-incremental";
export { WEAK_SIGNAL_TARGETS, WEAK_SIGNAL_TEST, type SignalName, type WeakSignal } from "./statistics/weak-signals";
export { CAMPAIGN_WINDOW, PUBLISHED_SKEW_MS, weeksBefore, windowKey, type WindowSpec } from "./rollups/windows";
export { emotionName, percentIn, suppressedIn } from "./publication/words";
