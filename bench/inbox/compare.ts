/**
 * The table `npm run bench:inbox -- --compare` ends with: each server's figures from one run, and
 * Ensemble's ratios to the bare Fedify server driven with the same load just before.
 */
import os from "node:os";

export interface RunFigures {
  target: string;
  acceptedPerSecond: number;
  p50: number;
  p99: number;
  /** stored and scored (Ensemble) or counted (bare); undefined when it never finished */
  processedPerSecond?: number;
  processedRows?: number;
  statuses: string;
  load: string;
}

const LABELS: Record<string, string> = {
  bare: "bare Fedify (in-memory KV and queue, counting)",
  postgres: "Ensemble on PostgreSQL",
  pglite: "Ensemble on PGlite (embedded)",
};

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b ? `${(a / b).toFixed(2)}×` : "n/a";

export function compareTable(results: RunFigures[]): string {
  const bare = results.find((r) => r.target === "bare");
  const cpus = os.cpus();
  const lines = [
    `machine: ${cpus[0]?.model ?? "?"}, ${cpus.length} cores; load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
    "| Server | Accepted (202)/s | POST p50 / p99 (ms) | Processed/s | Accepted ratio | Processed ratio | Statuses, rows |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const own = r.target === "bare";
    lines.push(
      `| ${LABELS[r.target] ?? r.target} | ${r.acceptedPerSecond.toFixed(1)} | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} | ${r.processedPerSecond?.toFixed(1) ?? "n/a"} | ${own ? "1×" : ratio(r.acceptedPerSecond, bare?.acceptedPerSecond)} | ${own ? "1×" : ratio(r.processedPerSecond, bare?.processedPerSecond)} | ${r.statuses}, ${r.processedRows ?? "?"} ${own ? "notes counted" : "inbound_notes"} |`,
    );
  }
  return lines.join("\n");
}
