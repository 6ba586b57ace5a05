// `npm start`'s command as package.json writes it: `NAME=value … node --flag … dist/main.js`.
// The Docker image (its ENV and CMD) and `bench:inbox` (which forks the server as production runs
// it) must run exactly this, so both read it from here rather than keeping a copy.
import { readFileSync } from "node:fs";
import { projectPath } from "../src/project-root";

export type StartCommand = {
  /** the environment variables the script sets before `node` (glibc's allocator settings) */
  env: Record<string, string>;
  /** `node`, its flags and the bundle */
  argv: string[];
};

export function startCommand(): StartCommand {
  const pkg = JSON.parse(readFileSync(projectPath("package.json"), "utf8")) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? "")) {
    const [name, ...value] = words.shift()!.split("=");
    env[name] = value.join("=");
  }
  return { env, argv: words };
}
