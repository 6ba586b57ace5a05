// CI check (npm run lint): dependencies run one way, federation/ → src/domain → src/db. Nothing
// under src/ imports federation/ except the composition root, which wires the two together.
// Benchmarks and scripts borrow from the tests only their shared helpers (test/helpers: the one
// signing peer, the one set-up), never a test's own files.
import madge from "madge";

/** The files that build the running server from both halves; everything else in src/ must not see federation/. */
const COMPOSITION_ROOT = [/^src\/server\.ts$/, /^src\/main\.ts$/, /^src\/http\/app\.ts$/, /^src\/cli\//];

const graph = await madge(["src"], { fileExtensions: ["ts", "tsx"], baseDir: "." });
const violations = Object.entries(graph.obj()).flatMap(([file, deps]) =>
  file.startsWith("src/") && !COMPOSITION_ROOT.some((root) => root.test(file))
    ? deps.filter((dep) => dep.startsWith("federation/")).map((dep) => `${file} imports ${dep}`)
    : [],
);
if (violations.length > 0) {
  console.error(
    `src/ must not import federation/ (pass a function in instead, as src/domain/publisher.ts does):\n  ${violations.join("\n  ")}`,
  );
  process.exit(1);
}
const tools = await madge(["bench", "scripts"], { fileExtensions: ["ts", "tsx"], baseDir: "." });
const borrowed = Object.entries(tools.obj()).flatMap(([file, deps]) =>
  /^(bench|scripts)\//.test(file)
    ? deps
        .filter((dep) => dep.startsWith("test/") && !dep.startsWith("test/helpers/"))
        .map((dep) => `${file} imports ${dep}`)
    : [],
);
if (borrowed.length > 0) {
  console.error(`bench/ and scripts/ may import test/helpers/ only:\n  ${borrowed.join("\n  ")}`);
  process.exit(1);
}
const checked = Object.keys(graph.obj()).filter((file) => file.startsWith("src/")).length;
console.log(
  `Layers: ${checked} files under src/; none imports federation/ outside the composition root; bench/ and scripts/ borrow only test/helpers/.`,
);
