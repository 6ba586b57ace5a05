import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";
import { tempDir } from "./helpers/ensemble";
import { runCli } from "./helpers/process";

describe("the ensemble command", () => {
  const dir = tempDir();
  const env = { ENSEMBLE_DATA_DIR: dir.path, DATABASE_URL: "" };
  afterAll(() => dir.remove());

  it("lists its sub-commands", async () => {
    const { code, stdout } = await runCli(["--help"], env);
    expect(code).toBe(0);
    expect(stdout).toContain("community create <handle>");
    expect(stdout).toContain("classify");
  });

  it("creates a community on the embedded database when no server runs, and refuses a duplicate", async () => {
    const first = await runCli(["community", "create", "climat", "--name", "Climat Rouen", "--summary", "Agir"], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Created @climat@localhost:3000");
    const again = await runCli(["community", "create", "climat", "--name", "Other"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('"climat" already exists');
    const list = await runCli(["community", "list"], env);
    expect(list.stdout.trim()).toBe("climat\tClimat Rouen");
  }, 60_000);

  it("explains a bad handle instead of failing obscurely", async () => {
    const { code, stderr } = await runCli(["community", "create", "Climat!", "--name", "x"], env);
    expect(code).toBe(1);
    expect(stderr).toContain("handle: use 1 to 30 lowercase letters");
  });

  it("fails clearly, touching nothing, when another process holds the data folder", async () => {
    const locked = tempDir();
    // this test process is alive and exposes no admin endpoint
    writeFileSync(join(locked.path, "ensemble.lock"), JSON.stringify({ pid: process.pid }));
    const { code, stderr } = await runCli(["community", "list"], { ...env, ENSEMBLE_DATA_DIR: locked.path });
    expect(code).toBe(1);
    expect(stderr).toContain(`in use by process ${process.pid}`);
    locked.remove();
  });

  it("names each bad setting", async () => {
    const { code, stderr } = await runCli(["community", "list"], { ...env, PORT: "abc", DATABASE_URL: "mysql://x" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT");
    expect(stderr).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
  });
});

describe("configuration", () => {
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      origin: "http://localhost:3000",
      dataDir: "./data",
      allowPrivateAddress: false,
    });
  });
  it("derives the origin from the port and trims a trailing slash", () => {
    expect(loadConfig({ PORT: "8080" }).origin).toBe("http://localhost:8080");
    expect(loadConfig({ ENSEMBLE_ORIGIN: "https://ensemble.example/" }).origin).toBe("https://ensemble.example");
  });
  it("rejects a non-boolean flag", () => {
    expect(() => loadConfig({ ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "maybe" })).toThrow(ConfigError);
  });
});
