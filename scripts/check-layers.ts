// CI check (npm run lint): dependencies run one way, federation/ → src/domain → src/db. Nothing
// under src/ imports federation/ except the composition root, which wires the two together. The
// web layer sits on top too: nothing below it imports it, and each web area (public site,
// console, Steward API) keeps to its own files, sharing only src/ui, src/assets and src/http's
// infrastructure (reader language, problem details, middleware). Benchmarks and scripts borrow
// from the tests only their shared helpers (test/helpers: the one signing peer, the one set-up),
// never a test's own files. Sentiment reports have one entry point: outside src/reports, code
// imports src/reports/index.ts, never a file inside it (tests may, to test one part alone).
import madge from "madge";

/** The files that build the running server from both halves; everything else in src/ must not see federation/. */
const COMPOSITION_ROOT = [/^src\/server\.ts$/, /^src\/main\.ts$/, /^src\/http\/app\.ts$/, /^src\/cli\//];
/** Each area owns its routes and views; one never imports another's files. */
const WEB_AREAS = ["src/site/", "src/console/", "src/http/api/"];
/** The web layer: areas, their infrastructure, the page shell and the files it links. */
const WEB_LAYER = [...WEB_AREAS, "src/http/", "src/ui/", "src/assets/"];

const areaOf = (file: string) => WEB_AREAS.find((area) => file.startsWith(area));
const inWebLayer = (file: string) => WEB_LAYER.some((dir) => file.startsWith(dir));
const inRoot = (file: string) => COMPOSITION_ROOT.some((root) => root.test(file));
const REPORTS = "src/reports/";
const REPORTS_ENTRY = "src/reports/index.ts";
/** An import that reaches past src/reports' index from outside it. */
const intoReports = (file: string, dep: string) =>
  !file.startsWith(REPORTS) && dep.startsWith(REPORTS) && dep !== REPORTS_ENTRY;

const graph = await madge(["src"], { fileExtensions: ["ts", "tsx"], baseDir: "." });
const rules: Array<{ broken: (file: string, dep: string) => boolean; why: string }> = [
  {
    broken: (file, dep) => !inRoot(file) && dep.startsWith("federation/"),
    why: "src/ must not import federation/ (pass a function in instead, as src/domain/publisher.ts does)",
  },
  {
    broken: (file, dep) => !inRoot(file) && !inWebLayer(file) && inWebLayer(dep),
    why: "only the web layer imports src/http, src/site, src/console, src/ui and src/assets (move what both need below it)",
  },
  {
    broken: intoReports,
    why: "outside src/reports, import it through its index (src/reports), not a file inside it",
  },
  {
    broken: (file, dep) => areaOf(file) !== undefined && areaOf(dep) !== undefined && areaOf(file) !== areaOf(dep),
    why: "a web area imports only its own files, src/ui, src/assets and src/http's infrastructure",
  },
];
const files = Object.entries(graph.obj()).filter(([file]) => file.startsWith("src/"));
let failed = false;
for (const { broken, why } of rules) {
  const violations = files.flatMap(([file, deps]) =>
    deps.filter((dep) => broken(file, dep)).map((dep) => `${file} imports ${dep}`),
  );
  if (violations.length === 0) continue;
  console.error(`${why}:\n  ${violations.join("\n  ")}`);
  failed = true;
}
const tools = await madge(["bench", "scripts", "federation"], { fileExtensions: ["ts", "tsx"], baseDir: "." });
const toolFiles = Object.entries(tools.obj()).filter(([file]) => /^(bench|scripts|federation)\//.test(file));
const reaching = toolFiles.flatMap(([file, deps]) =>
  deps.filter((dep) => intoReports(file, dep)).map((dep) => `${file} imports ${dep}`),
);
if (reaching.length > 0) {
  console.error(
    `federation/, bench/ and scripts/ import src/reports through its index only:\n  ${reaching.join("\n  ")}`,
  );
  failed = true;
}
const borrowed = Object.entries(tools.obj()).flatMap(([file, deps]) =>
  /^(bench|scripts)\//.test(file)
    ? deps
        .filter((dep) => dep.startsWith("test/") && !dep.startsWith("test/helpers/"))
        .map((dep) => `${file} imports ${dep}`)
    : [],
);
if (borrowed.length > 0) {
  console.error(`bench/ and scripts/ may import test/helpers/ only:\n  ${borrowed.join("\n  ")}`);
  failed = true;
}
if (failed) process.exit(1);
console.log(
  `Layers: ${files.length} files under src/; none imports federation/ outside the composition root, ` +
    "none below the web layer imports it, no web area imports another, none reaches past src/reports' index; " +
    "bench/ and scripts/ borrow only test/helpers/.",
);
