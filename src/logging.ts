import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, jsonLinesFormatter, type LogLevel, type Sink } from "@logtape/logtape";

export type LogFormat = "pretty" | "json";

/** One JSON object per line on stdout, for log collectors (`LOG_FORMAT=json`). */
const jsonLinesSink: Sink = (record) => {
  process.stdout.write(jsonLinesFormatter(record));
};

export async function setupLogging(level: LogLevel, format: LogFormat = "pretty"): Promise<void> {
  await configure({
    // Fedify adds request and job context to its records
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: format === "json" ? jsonLinesSink : getConsoleSink() },
    loggers: [
      { category: "ensemble", lowestLevel: level, sinks: ["console"] },
      {
        category: "fedify",
        lowestLevel: level === "debug" || level === "trace" ? level : "warning",
        sinks: ["console"],
      },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
