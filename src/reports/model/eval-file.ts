// models/report-eval.json: what `npm run report:eval` measured (published shares against the
// annotated truth, by campaign and estimator), shown on the methodology page.

import { readFileSync } from "node:fs";
import { z } from "zod";
import { MODELS_DIR } from "../../emotion";

export const REPORT_EVAL_FILE = "report-eval.json";

const group = z.object({
  truth: z.number(),
  estimate: z.number(),
  low: z.number(),
  high: z.number(),
  method: z.string(),
});
const estimator = z.object({
  mae: z.number(),
  coverage: z.number(),
  groups: z.number(),
  campaigns: z.record(
    z.string(),
    z.object({ mae: z.number(), coverage: z.number(), groups: z.record(z.string(), group) }),
  ),
});

export const reportEvalSchema = z.object({
  generatedBy: z.string(),
  model: z.string(),
  path: z.string(),
  postsPerCampaign: z.number(),
  authorsPerCampaign: z.number(),
  defaultEstimator: z.string(),
  campaigns: z.array(z.object({ name: z.string(), description: z.string(), posts: z.number() })),
  estimators: z.record(z.string(), estimator),
});

export type ReportEval = z.infer<typeof reportEvalSchema>;

let cached: { value: ReportEval | null } | undefined;

/** The last evaluation shipped in models/, or null when there is none (or it is of another model). */
export function shippedReportEval(modelVersion: string | undefined): ReportEval | null {
  if (!cached) {
    try {
      cached = { value: reportEvalSchema.parse(JSON.parse(readFileSync(MODELS_DIR + REPORT_EVAL_FILE, "utf8"))) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      cached = { value: null };
    }
  }
  return cached.value && cached.value.model === modelVersion ? cached.value : null;
}
