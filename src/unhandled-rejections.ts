import { getLogger } from "@logtape/logtape";
import { describeError, isDatabaseUnavailable } from "./db/unavailable";

const logger = getLogger(["ensemble", "health"]);

/**
 * pg-boss 10 records a job's completion or failure without awaiting it; when the database drops
 * at that moment the rejection is unhandled and would end the process. Such a job stays
 * active and is retried after it expires (handlers are idempotent), so the process keeps
 * running; any other unhandled rejection still stops it (exit 1).
 */
export function tolerateDatabaseOutages(): void {
  let last = 0;
  process.on("unhandledRejection", (reason) => {
    if (isDatabaseUnavailable(reason)) {
      if (Date.now() - last > 10_000) {
        last = Date.now();
        logger.warn("Database unreachable while recording a job's outcome; it will be retried: {error}", {
          error: describeError(reason),
        });
      }
      return;
    }
    logger.fatal("Unhandled rejection: {error}", { error: reason });
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}
