import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PROJECT_ROOT } from "../project-root";

/**
 * PostgreSQL settings for the embedded database. It runs inside the server's own process, so its
 * shared buffers are that process's memory: PostgreSQL's default (128 MB) is sized for a
 * dedicated server. With 16 MB, 20,000 replies in a burst were stored as fast as with 32 MB
 * (`bench:inbox`), 16 MiB less resident; the operating system's page cache holds the folder.
 */
export const PGLITE_START_PARAMS: string[] = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

/**
 * Creates the PGlite cluster in `folder` (PostgreSQL's initdb) in a short-lived child process, when
 * the folder does not hold one yet. Run in the server's process, initdb leaves ~500 MiB of
 * WebAssembly memory behind for the life of the process (measured: 850 MiB resident right after
 * a first start, against 350 MiB when the folder already existed); in a child it is returned
 * to the system when the child exits.
 */
export function ensurePgliteCluster(folder: string): void {
  if (existsSync(`${folder}/PG_VERSION`)) return;
  const script = `import { PGlite } from "@electric-sql/pglite";
const pg = new PGlite(process.argv[1]);
await pg.waitReady;
await pg.close();`;
  // run from the repository root so that the child resolves the same @electric-sql/pglite
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script, folder], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.status !== 0)
    throw new Error(`could not create the embedded database in ${folder}: ${child.stderr || child.error?.message}`);
}
