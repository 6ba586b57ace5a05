// Reads a V8 .cpuprofile of the server under test (bench:inbox --profile, or --summarize FILE):
// self time per function and per package, and the inclusive time of the subtrees that matter.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function where(url: string): string {
  if (!url) return "(native)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (m) return `${m[1]}/${m[2].split("/").pop()}`;
  if (url.startsWith("node:")) return url;
  const root = fileURLToPath(new URL("../..", import.meta.url));
  return url.replace(/^file:\/\//, "").replace(root, "");
}

function pkg(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith("wasm://")) return "@electric-sql/pglite";
  if (url.startsWith("node:")) return "node: (core)";
  if (url.includes("/node_modules/.bin/") || url.includes("tsx")) return "tsx";
  return "ensemble (own code)";
}

export function summarizeProfile(file: string, top = 25, activities?: number): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)")
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const fn = new Map<string, number>();
  const pk = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const k = `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
    fn.set(k, (fn.get(k) ?? 0) + t);
    // native frames (JSON.parse, crypto, Buffer…) count for the package that called them
    let g: string;
    if (/^\((garbage collector|program|root)\)$/.test(functionName)) g = `(VM: ${functionName.slice(1, -1)})`;
    else {
      let cur: number | undefined = id;
      while (cur !== undefined && !byId.get(cur)!.callFrame.url) cur = parent.get(cur);
      g = cur === undefined ? "(VM: native, no JS caller)" : pkg(byId.get(cur)!.callFrame.url);
      if (
        byId.get(id)!.callFrame.url.startsWith("node:inspector") ||
        (g === "node: (core)" && cur !== undefined && byId.get(cur)!.callFrame.url.startsWith("node:inspector"))
      )
        g = "(profiler itself)";
    }
    pk.set(g, (pk.get(g) ?? 0) + t);
  }
  // inclusive time of a few subtrees we care about
  const marks: Array<[string, (n: CpuProfileNode) => boolean]> = [
    ["jsonld (expand/compact/…)", (n) => /node_modules\/jsonld\//.test(n.callFrame.url)],
    ["Activity.fromJsonLd (vocab)", (n) => n.callFrame.functionName === "fromJsonLd"],
    ["verifyRequest (HTTP sig)", (n) => /^verifyRequest/.test(n.callFrame.functionName)],
    ["DrizzleKvStore", (n) => /src\/db\/kv\.ts/.test(n.callFrame.url)],
    ["pg-boss", (n) => /node_modules\/pg-boss\//.test(n.callFrame.url)],
    ["PGlite", (n) => /node_modules\/@electric-sql\/pglite\//.test(n.callFrame.url)],
    ["postgres.js", (n) => /node_modules\/postgres\//.test(n.callFrame.url)],
    ["drizzle-orm", (n) => /node_modules\/drizzle-orm\//.test(n.callFrame.url)],
    ["actor dispatcher (federation/actors.ts)", (n) => /federation\/actors\.ts/.test(n.callFrame.url)],
  ];
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    const hit = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      for (const [label, test] of marks) if (!hit.has(label) && test(n)) hit.add(label);
    }
    for (const label of hit) incl.set(label, (incl.get(label) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(6)} ms`;
  const lines = [
    `profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)}%)${activities ? `, ${(busy / 1000 / activities).toFixed(2)} ms of server CPU per activity` : ""}; percentages are of busy time`,
    "  top self time, by function:",
    ...[...fn]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `    ${pct(t)} ${ms(t)}  ${k}`),
    "  self time, by package (native frames charged to their JS caller):",
    ...[...pk]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([k, t]) => `    ${pct(t)} ${ms(t)}  ${k}`),
    "  inclusive time (any frame of the stack):",
    ...[...incl].sort((a, b) => b[1] - a[1]).map(([k, t]) => `    ${pct(t)} ${ms(t)}  ${k}`),
  ];
  return lines.join("\n");
}
