// src/reports/publication/: rollups to a published report: read, clip, suppress, add noise, assemble, CSV and words.
// One scope's report from the rollups: the single entry point of the HTML, JSON and CSV views.
// By default it is differentially private (private.ts) over closed windows (release.ts), with
// suppression decided across the community's reports (cross-suppression.ts); with
// ENSEMBLE_REPORT_EPSILON=off it is the exact, live report (aggregate.ts), for evaluation only.

import type { Config } from "../../config";
import { reportFromStats, type AdjustedEstimator, type Report } from "./aggregate";
import { cellId, suppressAcrossReports } from "./cross-suppression";
import type { Executor } from "../rollups/db";
import { shippedModel } from "../model/shipped-model";
import { reportNoiseSecret } from "./noise";
import { privateReport } from "./private";
import { loadReportInput } from "./read";
import { loadClippedWindows, rowSpecOf, TOTAL } from "./release";
import type { WindowSpec } from "../rollups/windows";

export interface ReportRequest {
  /** Community id (all its notes) or campaign id (the replies to it). */
  scopeId: string;
  /** The community the scope belongs to (itself for a community report). */
  communityId: string;
  title: string;
  window: WindowSpec;
  estimator: AdjustedEstimator;
  generatedAt: Date;
}

export type ReportSettings = Pick<Config, "reportMinAuthors" | "reportEpsilon" | "reportMaxNotesPerAuthor">;

/** null when no model is installed (nothing is scored, so there is nothing to report). */
export async function scopeReport(
  db: Executor,
  config: ReportSettings,
  request: ReportRequest,
): Promise<Report | null> {
  const model = shippedModel()?.info;
  if (!model) return null;
  const k = config.reportMinAuthors;
  const options = {
    window: request.window,
    estimator: request.estimator,
    generatedAt: request.generatedAt,
    title: request.title,
    k,
  };
  if (config.reportEpsilon === undefined) {
    return reportFromStats(await loadReportInput(db, model, request.scopeId, request.window, k), model, options);
  }
  const rowSpec = rowSpecOf(request.window);
  const [clipped, suppressed, secret] = await Promise.all([
    loadClippedWindows(db, model, request.scopeId, rowSpec, request.generatedAt, config.reportMaxNotesPerAuthor),
    suppressAcrossReports(db, model, request.communityId, request.generatedAt, k),
    reportNoiseSecret(db),
  ]);
  return privateReport(
    {
      scopeId: request.scopeId,
      rowSpec,
      windows: request.window === "campaign" ? [] : clipped.filter((w) => w.key !== TOTAL),
      total: clipped.find((w) => w.key === TOTAL) ?? null,
      suppressed: (key) => suppressed.get(cellId(request.scopeId, rowSpec, key)),
    },
    model,
    options,
    { epsilon: config.reportEpsilon, maxNotesPerAuthor: config.reportMaxNotesPerAuthor, secret },
  );
}
