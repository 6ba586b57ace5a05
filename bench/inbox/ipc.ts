// The IPC protocol between the load generator (load-generator.ts) and the server under test,
// a child process: Ensemble (child.ts) or bare Fedify (bare-fedify.ts) answer the same commands,
// so one load generator drives both.
import { fork, type ChildProcess } from "node:child_process";
import { basename, relative } from "node:path";
import { bundle } from "../../scripts/build";
import { startCommand } from "../../scripts/start-command";
import { PROJECT_ROOT, projectPath } from "../../src/project-root";

export type Kind = "pglite" | "postgres";
/** `bare`: bare-fedify.ts, the yardstick of `--compare`. */
export type Target = Kind | "bare";
/** What the load sends: `create` is a reply (Create(Note)), `vote` a poll vote, `follow` a Follow. */
export type ActivityKind = "follow" | "create" | "vote";

/** The first message a child receives. */
export interface ChildInit {
  kind: Target; // bare-fedify.ts ignores it; Ensemble's child gets pglite or postgres
  activity: ActivityKind;
  communities: string[];
  queueConcurrency: number;
  startWorkers: boolean;
}

/** The first message a child sends: where it listens and, per community, its open campaign's id. */
export interface ChildReady {
  type: "ready";
  origin: string;
  campaigns: Record<string, string>;
}

/** The answer to `state`: rows produced so far and jobs still queued or running. */
export interface ChildState {
  followerRows: number;
  noteRows: number;
  voteRows: number;
  inbox: number;
  outbox: number;
}

/** The parent's side: one call per command, answered by the message carrying the same id. */
export class ChildServer {
  private seq = 0;
  private pending = new Map<number, (m: any) => void>();
  private constructor(readonly proc: ChildProcess) {
    proc.on("message", (m: any) => {
      if (m.id === undefined) return;
      const r = this.pending.get(m.id);
      this.pending.delete(m.id);
      r?.(m);
    });
  }

  /**
   * Bundles `program` as `npm run build` bundles the server and forks it with plain `node`, as
   * production runs it (no TypeScript transformer in the process: its memory and start-up are not
   * the server's), then sends it `init` and waits until it is ready.
   */
  static async start(program: string, init: ChildInit): Promise<{ server: ChildServer; ready: ChildReady }> {
    const bundled = `dist/bench/${basename(program, ".ts")}.js`;
    await bundle(relative(PROJECT_ROOT, program), bundled);
    // npm start's Node flags (heap sizes, WebAssembly compiler) and allocator settings, as deployed
    const start = startCommand();
    const proc = fork(projectPath(bundled), ["--child"], {
      execArgv: [
        ...start.argv.filter((arg) => arg.startsWith("--")),
        ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      ],
      env: { ...start.env, ...process.env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const server = new ChildServer(proc);
    const ready = new Promise<ChildReady>((r) => proc.once("message", (m) => r(m as ChildReady)));
    proc.send(init);
    return { server, ready: await ready };
  }

  call<T = any>(cmd: string, extra: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      this.proc.send({ id, cmd, ...extra });
    });
  }

  state(): Promise<ChildState> {
    return this.call<ChildState>("state");
  }

  async stop(): Promise<void> {
    await this.call("stop");
    if (this.proc.exitCode === null) await new Promise((r) => this.proc.once("exit", r));
  }
}
