// One scope's report from the rollups: the single entry point of the HTML, JSON and CSV views.

import { createHmac, randomBytes } from "node:crypto";
import type { Config } from "../config";
import { reportFromStats, type AdjustedEstimator, type Report, type ReportInput } from "./aggregate";
import type { Executor } from "./db";
import { shippedModel } from "./model-file";
import { loadReportInput } from "./read";
import type { WindowSpec } from "./windows";

export interface ReportRequest {
  /** Community id (all its notes) or campaign id (the replies to it). */
  scopeId: string;
  title: string;
  window: WindowSpec;
  estimator: AdjustedEstimator;
  generatedAt: Date;
}

/** Secret of this process's noise seeds: a published or guessable seed would let anyone remove the noise. */
const noiseSecret = randomBytes(32);

/**
 * The same statistics get the same noise (re-requesting a page cannot average it away); any
 * change in the data draws fresh noise, which composes (see the methodology page).
 */
function noiseSeed(input: ReportInput, request: ReportRequest): number {
  const fingerprint = JSON.stringify([
    request.scopeId, request.window, request.estimator,
    [...input.windows, ...(input.total ? [input.total] : [])].map((w) => [w.key, w.targets[0]?.authors, String(w.targets[0]?.notes)]),
  ]);
  return createHmac("sha256", noiseSecret).update(fingerprint).digest().readUInt32BE(0);
}

/** null when no model is installed (nothing is scored, so there is nothing to report). */
export async function scopeReport(db: Executor, config: Pick<Config, "reportMinAuthors" | "reportEpsilon">, request: ReportRequest): Promise<Report | null> {
  const model = shippedModel()?.info;
  if (!model) return null;
  const k = config.reportMinAuthors;
  const input = await loadReportInput(db, model, request.scopeId, request.window, k);
  return reportFromStats(input, model, {
    window: request.window,
    estimator: request.estimator,
    generatedAt: request.generatedAt,
    title: request.title,
    k,
    noise: config.reportEpsilon ? { epsilon: config.reportEpsilon, seed: noiseSeed(input, request) } : null,
  });
}
