import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
const mb = (x: number) => (x / 1048576).toFixed(1);
function heapMap() { let rss = 0; let inHeap = false; for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) { if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inHeap = line.endsWith("[heap]"); else if (inHeap && line.startsWith("Rss:")) rss += Number(line.split(/\s+/)[1]); } return (rss / 1024).toFixed(1); }
const show = (t: string) => { const m = process.memoryUsage(); console.log(t, "rss", mb(m.rss), "heapTotal", mb(m.heapTotal), "ext", mb(m.external), "[heap]", heapMap()); };
const opts = JSON.parse(process.argv[2] ?? "{}");
show("start");
let bytes: Buffer | null = readFileSync("models/emotion-v3.onnx");
show("read");
const s = await ort.InferenceSession.create(opts.path ? "models/emotion-v3.onnx" : bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all", ...opts.o });
bytes = null; (globalThis as any).gc?.();
show("session");
for (let r = 0; r < 300; r++) {
  const n = Number(process.env.N ?? 64), len = Number(process.env.LEN ?? 300); const ids = new Int32Array(n*len); const w = new Float32Array(n*len);
  for (let i = 0; i < ids.length; i++) { ids[i] = (i * 7919) % 100000; w[i] = 1/len; }
  await s.run({ ids: new ort.Tensor("int32", ids, [n, len]), weights: new ort.Tensor("float32", w, [n, len]) });
}
(globalThis as any).gc?.();
show("after runs");
