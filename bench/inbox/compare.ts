/**
 * The table `npm run bench:inbox -- --compare` ends with: each server's figures from one run, and
 * Ensemble's ratios to the bare Fedify server driven with the same load just before.
 */
import { loadavg, machine } from "../lib/figures";
import type { ActivityKind } from "./ipc";

export interface RunFigures {
  target: string;
  activity: ActivityKind;
  acceptedPerSecond: number;
  p50: number;
  p99: number;
  /** stored and scored (Ensemble) or counted (bare); undefined when it never finished */
  processedPerSecond?: number;
  processedRows?: number;
  /** Follows only: the Accepts the peer received, per second. */
  deliveredPerSecond?: number;
  statuses: string;
  load: string;
}

const LABELS: Record<string, string> = {
  bare: "bare Fedify (in-memory KV and queue, counting)",
  postgres: "Ensemble on PostgreSQL",
  pglite: "Ensemble on PGlite (embedded)",
};

/** What `processedRows` counts, on Ensemble and on bare Fedify, per activity kind. */
const ROWS: Record<ActivityKind, { ensemble: string; bare: string }> = {
  create: { ensemble: "inbound_notes", bare: "notes counted" },
  vote: { ensemble: "votes (participations)", bare: "votes counted" },
  follow: { ensemble: "follower rows", bare: "follows accepted" },
};

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b ? `${(a / b).toFixed(2)}×` : "n/a";

export function compareTable(results: RunFigures[]): string {
  const bare = results.find((r) => r.target === "bare");
  const follows = results.some((r) => r.activity === "follow");
  const lines = [
    `activity: ${results[0]?.activity ?? "?"}; machine: ${machine()}; load average at the end: ${loadavg()}`,
    `| Server | Accepted (202)/s | POST p50 / p99 (ms) | Processed/s | Accepted ratio | Processed ratio |${follows ? " Accepts delivered/s | Delivered ratio |" : ""} Statuses, rows |`,
    `|---|---|---|---|---|---|${follows ? "---|---|" : ""}---|`,
  ];
  for (const r of results) {
    const own = r.target === "bare";
    const delivered = follows
      ? ` ${r.deliveredPerSecond?.toFixed(1) ?? "n/a"} | ${own ? "1×" : ratio(r.deliveredPerSecond, bare?.deliveredPerSecond)} |`
      : "";
    lines.push(
      `| ${LABELS[r.target] ?? r.target} | ${r.acceptedPerSecond.toFixed(1)} | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} | ${r.processedPerSecond?.toFixed(1) ?? "n/a"} | ${own ? "1×" : ratio(r.acceptedPerSecond, bare?.acceptedPerSecond)} | ${own ? "1×" : ratio(r.processedPerSecond, bare?.processedPerSecond)} |${delivered} ${r.statuses}, ${r.processedRows ?? "?"} ${ROWS[r.activity][own ? "bare" : "ensemble"]} |`,
    );
  }
  return lines.join("\n");
}
