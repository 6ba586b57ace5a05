import { getLogger } from "@logtape/logtape";
import { ConfigError, loadConfig } from "./config";
import { DataDirBusyError } from "./db/lock";
import { setupLogging } from "./logging";
import { startEnsemble } from "./server";

try {
  const config = loadConfig();
  await setupLogging(config.logLevel);
  const ensemble = await startEnsemble(config);
  const logger = getLogger(["ensemble"]);
  logger.info("Ensemble {role} listening on {url}, public origin {origin}, database {db}", {
    role: config.role,
    url: ensemble.url,
    origin: config.origin,
    db: ensemble.database.kind === "pglite" ? `PGlite in ${config.dataDir}` : "PostgreSQL",
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      logger.info("{signal}: finishing work in flight, then stopping", { signal });
      await ensemble.close();
      process.exit(0);
    });
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof DataDirBusyError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
