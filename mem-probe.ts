import { readFileSync } from "node:fs";
import { loadConfig } from "./src/config";
import { startEnsemble } from "./src/server";
const mb = (n: number) => Math.round(n / 1048576);
const show = (label: string) => {
  const m = process.memoryUsage();
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  console.log(label, "rss", mb(m.rss), "heapUsed", mb(m.heapUsed), "heapTotal", mb(m.heapTotal), "external", mb(m.external), "arrayBuffers", mb(m.arrayBuffers), "hwm", Math.round(Number(hwm) / 1024));
};
show("before");
const e = await startEnsemble(loadConfig());
show("started");
global.gc?.();
await new Promise((r) => setTimeout(r, 3000));
show("after-gc");
await e.close();
process.exit(0);
