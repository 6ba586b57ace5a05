// Sentiment reports: the one entry point for code outside src/reports (pages, console, the note
// write path, the server). The rollups (per window × author × target sufficient statistics) are
// defined and computed in memory by rollup-in-memory.ts; two paths keep the database's copy:
// rollup-incremental.ts applies each note's change as it is written, and rollup-rebuild.ts
// recomputes stale rollups in SQL at start (after a model or rule change). aggregate.ts and
// report.ts read them into a report; a test checks every path gives the same tables.

export {
  DEFAULT_ESTIMATOR,
  type AdjustedEstimator,
  type Report,
  type TargetEstimates,
  type ViewEstimates,
  type WindowReport,
} from "./aggregate";
export type { LanguageCalibration } from "./calibration-file";
export { GroupSharesChart, TrendChart } from "./charts";
export { reportToCsv } from "./csv";
export { MIN_DISCRIMINATION, type Estimate } from "./estimators";
export { shippedReportEval, type ReportEval } from "./eval-file";
export { ESTIMATOR_CALIBRATION, shippedModel } from "./shipped-model";
export { noiseThresholds } from "./noise-cost";
export { isSuppressed, type Suppressed } from "./privacy";
export { rebuildStaleRollups } from "./rollup-rebuild";
export { scopeReport } from "./report";
export { applyNoteChanges, type NoteChange, type RolledNote } from "./rollup-incremental";
export { WEAK_SIGNAL_TEST, type SignalName, type WeakSignal } from "./weak-signals";
export { PUBLISHED_SKEW_MS, weeksBefore, windowKey, type WindowSpec } from "./windows";
export { emotionName, percentIn, suppressedIn } from "./words";
