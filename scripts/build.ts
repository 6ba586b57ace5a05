// `npm run build`: bundles the server's own code (src/, federation/, drizzle/) into dist/main.js
// with esbuild; packages stay in node_modules. Production runs that file with plain `node`
// (`npm start`, the Docker image): no TypeScript transformer in the process, which saves about
// 100 MiB of resident memory per process (see README, "Inbox throughput"). Files shipped beside the
// code (models/, migrations, assets) are found from the repository root (src/project-root.ts),
// so the bundle reads the same files as the sources.
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { projectPath } from "../src/project-root";

/** Bundles one entry point (a path under the repository root) to `outfile`, with a source map. */
export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [projectPath(entry)],
    outfile: projectPath(outfile),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
    // the sources' JSX settings (hono/jsx) come from tsconfig.json
    tsconfig: projectPath("tsconfig.json"),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bundle("src/main.ts", "dist/main.js");
