import { resolve } from "node:path";

/** `--key value` / `--flag` command-line options, with `--data` defaulting to ../shared/datasets. */
export function parseArgs(argv: string[]): { data: string; opts: Map<string, string> } {
  const opts = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) opts.set(a.slice(2), next), i++;
    else opts.set(a.slice(2), "true");
  }
  return { data: resolve(opts.get("data") ?? "../shared/datasets"), opts };
}

export function numberOpt(opts: Map<string, string>, key: string, fallback: number): number {
  const v = opts.get(key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${key} must be a number, got ${v}`);
  return n;
}
