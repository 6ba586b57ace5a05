import { getLogger } from "@logtape/logtape";
import type { ErrorHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { AccountResolutionError } from "../../domain/accounts";
import { CampaignStateError } from "../../domain/campaigns";
import { GovernanceNotFoundError, GovernanceStateError } from "../../domain/governance";
import { isDatabaseUnavailable } from "../../db/unavailable";
import { problem } from "../problem";

const logger = getLogger(["ensemble", "api"]);

/** An error the client can act on, answered as problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** Zod issues as `errors: [{field, message}]`, the field being the JSON path (`steps.2`). */
function invalidInput(c: Parameters<ErrorHandler>[1], error: ZodError): Response {
  const errors = error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message }));
  return problem(c, 422, "Invalid input", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors });
}

export const onApiError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) {
    const res = problem(c, err.status, err.title, err.message);
    for (const [name, value] of Object.entries(err.headers)) res.headers.set(name, value);
    return res;
  }
  if (err instanceof ZodError) return invalidInput(c, err);
  if (err instanceof AccountResolutionError) {
    return problem(c, 422, "Invalid input", `${err.field}: ${err.message}`, {
      errors: [{ field: err.field, message: err.message }],
    });
  }
  if (err instanceof CampaignStateError) return problem(c, 409, "Conflict with the campaign's state", err.message);
  if (err instanceof GovernanceNotFoundError) return problem(c, 404, "Not found", err.message);
  if (err instanceof GovernanceStateError)
    return problem(c, 409, "Conflict with the community's governance", err.message);
  // the application's handler answers 503 with Retry-After, so that clients retry
  if (isDatabaseUnavailable(err)) throw err;
  logger.error("Steward API request {method} {path} failed: {error}", {
    method: c.req.method,
    path: c.req.path,
    error: err,
  });
  return problem(c, 500, "Internal server error", "The error was logged.");
};
