// What every benchmark prints beside its figures (the machine and its load), and the small
// helpers its figures are computed with.
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export const loadavg = (separator = ", ") =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(separator);

/** `uptime`'s line (load averages over 1, 5 and 15 minutes), or the load averages alone where it is missing. */
export function uptime(): string {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${loadavg()}`;
  }
}

/** CPU model, cores, memory, Node and OS: the line a figure is read with. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "?"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** The q-quantile (0–1) of ascending values: the value below which a share q of them lie. */
export const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;

export const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items`, at most `concurrency` at a time (as many clients, each sending the next). */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * The most memory a process has held so far (Linux `VmHWM`: peak resident set size), in MiB;
 * undefined where /proc is not there. Read just before the process stops, it covers a whole run.
 */
export function peakRssMiB(pid: number | undefined): number | undefined {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}
