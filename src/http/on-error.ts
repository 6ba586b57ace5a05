import { getLogger } from "@logtape/logtape";
import type { Context, ErrorHandler } from "hono";
import { describeError, isDatabaseUnavailable } from "../db/unavailable";
import { problem } from "./problem";

/** Seconds a client is told to wait (`Retry-After`) when the database or the queue is out of reach. */
export const RETRY_AFTER_SECONDS = 10;

const logger = getLogger(["ensemble", "health"]);
const httpLogger = getLogger(["ensemble", "http"]);

let lastUnavailableLog = 0;

/**
 * Refuses what cannot be kept: when the database is out of reach, a request (an inbox POST in
 * particular) is answered 503 with Retry-After, so the sender keeps the activity and retries,
 * instead of a 500 it might count as a permanent failure. Anything else is a logged 500.
 */
export const unavailableOnError: ErrorHandler = (error, c: Context) => {
  if (isDatabaseUnavailable(error)) {
    const now = Date.now();
    if (now - lastUnavailableLog > 5_000) {
      lastUnavailableLog = now;
      logger.warn("Database unreachable; answering 503 to {method} {path}: {error}", {
        method: c.req.method,
        path: c.req.path,
        error: describeError(error),
      });
    }
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    return problem(c, 503, "Service unavailable", "The database is out of reach; retry later.");
  }
  if ("getResponse" in error && typeof error.getResponse === "function") return error.getResponse();
  httpLogger.error("Unhandled error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error });
  return c.text("Internal Server Error", 500);
};
