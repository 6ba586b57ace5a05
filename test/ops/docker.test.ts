import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startCommand } from "../../scripts/start-command";
import { freePort } from "../helpers/ensemble";
import { root } from "../helpers/process";
import { adminUrl, scratchDatabase } from "../helpers/databases";

/**
 * No Docker engine runs here, so the container files are checked for what they promise, and
 * the image's own start command runs outside Docker with the compose file's environment
 * against PostgreSQL, probed with the compose file's own healthcheck command.
 */
const dockerfile = readFileSync(join(root, "docker/Dockerfile"), "utf8");
const compose = parse(readFileSync(join(root, "docker/compose.yaml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    { environment?: Record<string, string>; healthcheck?: { test: string[] }; ports?: string[]; depends_on?: unknown }
  >;
};

/** `${VAR:-default}` as compose interpolates it, with nothing set in the shell. */
const interpolate = (v: string) => v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1");

function dockerfileCmd(): string[] {
  const cmds = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)].map((m) => JSON.parse(m[1]) as string[]);
  return cmds.at(-1)!;
}

function dockerfileEnv(): Record<string, string> {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? "";
  return Object.fromEntries([...block.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

describe("container files", () => {
  it("Dockerfile: two stages, npm ci, slim runtime, non-root, models included, npm start's command", () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\w+))?/gm)];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.at(-1)![1]).toMatch(/^node:24-slim/);
    expect(dockerfile).toMatch(/RUN npm ci /);
    expect(dockerfile).toMatch(/^COPY models \.\/models$/m);
    expect(dockerfile).toMatch(/^COPY --from=build /m);
    const user = [...dockerfile.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toBe("root");
    // the image runs what `npm start` runs: the bundle from `npm run build`, with the same flags
    // and the same allocator settings in its environment
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    const start = startCommand();
    expect(dockerfileCmd()).toEqual(start.argv);
    expect(Object.keys(start.env)).toContain("MALLOC_ARENA_MAX");
    expect(dockerfileEnv()).toMatchObject(start.env);
  });

  it(".dockerignore keeps node_modules and data out, and what the image needs in", () => {
    const ignored = readFileSync(join(root, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    expect(ignored).toContain("node_modules");
    expect(ignored).toContain("data");
    expect(ignored).toContain("!scripts/build.ts"); // the build stage bundles the server with it
    for (const needed of [
      "src",
      "federation",
      "drizzle",
      "models",
      "bin",
      "package.json",
      "package-lock.json",
      ".npmrc",
    ]) {
      expect(ignored).not.toContain(needed);
    }
  });

  it("compose: PostgreSQL, a web on port 3000 and a worker, checked with /readyz", () => {
    const { postgres: pg, web, worker } = compose.services;
    expect(pg).toBeDefined();
    expect(web.environment!.ENSEMBLE_ROLE).toBe("web");
    expect(worker.environment!.ENSEMBLE_ROLE).toBe("worker");
    expect(web.ports!.map(interpolate)).toContain("3000:3000");
    for (const s of [web, worker]) {
      expect(s.healthcheck!.test.join(" ")).toContain("/readyz");
      expect(s.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    }
  });

  it("passes `docker compose config` where the compose plugin is installed", () => {
    const probe = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
    if (probe.status !== 0) return; // the client alone has no compose here: nothing to run
    const result = spawnSync("docker", ["compose", "-f", "docker/compose.yaml", "config", "--quiet"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe.skipIf(!adminUrl)("the image's start command, outside Docker, with compose's environment", () => {
  const children: ChildProcess[] = [];
  let db: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await db?.drop();
  });

  it("web and worker start on PostgreSQL and pass the compose healthcheck", async () => {
    // the image's build step, then its start command
    const built = spawnSync("npm", ["run", "-s", "build"], { cwd: root, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    db = await scratchDatabase(adminUrl!);
    const [cmd, ...args] = dockerfileCmd();
    expect(cmd).toBe("node");
    const started: Array<{
      name: string;
      child: ChildProcess;
      port: number;
      out: () => string;
      exited: Promise<number | null>;
    }> = [];
    for (const name of ["web", "worker"]) {
      const service = compose.services[name];
      const port = await freePort();
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        ...dockerfileEnv(),
        ...Object.fromEntries(Object.entries(service.environment!).map(([k, v]) => [k, interpolate(String(v))])),
        // here, not in a container: the scratch database for host `postgres`, a free port for 3000
        DATABASE_URL: db.url,
        PORT: String(port),
        ENSEMBLE_DATA_DIR: join(root, "data-unused"),
      };
      expect(env.ENSEMBLE_ROLE).toBe(name);
      const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      started.push({ name, child, port, out: () => out, exited });
    }
    for (const s of started) {
      const [, ...check] = compose.services[s.name].healthcheck!.test; // ["CMD", "node", "-e", "…"]
      const probe = check.map((a) => a.replace("127.0.0.1:3000", `127.0.0.1:${s.port}`));
      const deadline = Date.now() + 45_000;
      for (;;) {
        if (s.child.exitCode !== null) throw new Error(`${s.name} exited:\n${s.out()}`);
        const r = spawnSync(process.execPath, probe.slice(1), { encoding: "utf8" });
        if (r.status === 0) break;
        if (Date.now() > deadline) throw new Error(`${s.name} never became ready:\n${s.out()}`);
        await new Promise((r2) => setTimeout(r2, 500));
      }
      // LOG_FORMAT=json from compose: every line is a JSON record
      for (const line of s.out().split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    }
    for (const s of started) s.child.kill("SIGTERM");
    for (const s of started) expect(await s.exited).toBe(0);
  }, 60_000);
});
