import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/ensemble";
import { root } from "../helpers/process";

/**
 * A signal that reaches the server while it is still starting (Ctrl-C right after `npm start`,
 * an orchestrator's SIGTERM before the process is ready) lets the start finish and then stops
 * cleanly: exit 0, not a kill by the signal with the data folder's lock and the queue's jobs
 * left behind.
 */
describe("a signal during start-up", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ensemble-start-signal-"));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("waits for the start, then stops cleanly with exit 0", async () => {
    const port = await freePort();
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    delete env.DATABASE_URL; // the embedded default, in a folder of its own
    Object.assign(env, { PORT: String(port), ENSEMBLE_DATA_DIR: dataDir, ENSEMBLE_ROLE: "all" });
    const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = server;
    let out = "";
    server.stdout!.on("data", (d) => (out += d));
    server.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
      server.once("exit", (code, signal) => r({ code, signal })),
    );
    const deadline = Date.now() + 60_000;
    while (!/Ensemble \W*\w+\W* starting/.test(out)) {
      if (server.exitCode !== null) throw new Error(`exited before starting:\n${out}`);
      if (Date.now() > deadline) throw new Error(`never said it was starting:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    server.kill("SIGTERM");
    const { code, signal } = await exited;
    expect({ code, signal }, out).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/listening on/);
    expect(out).toMatch(/Stopped cleanly/);
  }, 90_000);
});
