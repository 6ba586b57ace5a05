import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root (the folder with package.json), found by walking up from this module, so
 * that files shipped beside the code (models/, drizzle/migrations, src/assets) are found the same
 * way whether the code runs from src/ through tsx or bundled into dist/ (`npm run build`), and
 * whatever the working directory.
 */
export const PROJECT_ROOT: string = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
})();

/** A path under the repository root. */
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
