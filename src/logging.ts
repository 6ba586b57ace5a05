import { configure, getConsoleSink, type LogLevel } from "@logtape/logtape";

export async function setupLogging(level: LogLevel): Promise<void> {
  await configure({
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: "ensemble", lowestLevel: level, sinks: ["console"] },
      { category: "fedify", lowestLevel: level === "debug" || level === "trace" ? level : "warning", sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
