import { getLogger } from "@logtape/logtape";
import { ConfigError, loadConfig } from "./config";
import { DataDirBusyError } from "./db/lock";
import { tolerateDatabaseOutages } from "./unhandled-rejections";
import { setupLogging } from "./logging";
import { startEnsemble } from "./server";
import { setupTelemetry } from "./telemetry";

try {
  const config = loadConfig();
  await setupLogging(config.logLevel, config.logFormat);
  tolerateDatabaseOutages();
  const telemetry = await setupTelemetry(process.env, { registerGlobals: true });
  const logger = getLogger(["ensemble"]);
  const starting = startEnsemble(config, { telemetry });
  // Signals are taken from the first moment: one that arrives while the process is still
  // starting (an orchestrator giving up, a developer's Ctrl-C) waits for the start, then stops
  // cleanly, instead of killing a process that holds the queue's jobs.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      if (stopping) {
        // a second signal while draining: stop now; unfinished jobs are retried by other workers
        logger.warn("{signal} again: exiting without waiting", { signal });
        process.exit(1);
      }
      stopping = true;
      logger.info("{signal}: finishing work in flight, then stopping", { signal });
      try {
        const ensemble = await starting;
        await ensemble.close();
        await telemetry.shutdown();
        logger.info("Stopped cleanly");
        process.exit(0);
      } catch (error) {
        logger.error("Shutdown failed: {error}", { error });
        process.exit(1);
      }
    });
  }
  logger.info("Ensemble {role} starting", { role: config.role });
  const ensemble = await starting;
  logger.info("Ensemble {role} listening on {url}, public origin {origin}, database {db}", {
    role: config.role,
    url: ensemble.url,
    origin: config.origin,
    db: ensemble.database.kind === "pglite" ? `PGlite in ${config.dataDir}` : "PostgreSQL",
  });
  if (telemetry.tracerProvider || telemetry.meterProvider)
    logger.info("OpenTelemetry: {otel}", { otel: telemetry.describe() });
} catch (e) {
  if (e instanceof ConfigError || e instanceof DataDirBusyError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
