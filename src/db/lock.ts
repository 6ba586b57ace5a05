import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** What a running server leaves in its data folder so CLI commands can go through it. */
export interface LockOwner {
  pid: number;
  /** Loopback URL of the owner's admin endpoint; absent while it is still starting. */
  adminUrl?: string;
  adminToken?: string;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data folder ${dataDir} is in use by process ${owner.pid}` +
        (owner.adminUrl ? "" : " (which does not accept commands)") +
        ". PGlite serves one process per folder; stop that process or run this command through it.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function lockPath(dataDir: string): string {
  return join(dataDir, "ensemble.lock");
}

export function readLockOwner(dataDir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockPath(dataDir), "utf8")) as LockOwner;
    return isAlive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data folder for this process. A second PGlite opening the same folder sees
 * stale data and corrupts it, so the lock is exclusive; a lock left by a dead process is
 * taken over.
 */
export function acquireDataDirLock(dataDir: string): { update(owner: Omit<LockOwner, "pid">): void; release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      const release = () => rmSync(path, { force: true });
      process.once("exit", release);
      return {
        update(owner) {
          const tmp = `${path}.${process.pid}`;
          const fd2 = openSync(tmp, "w", 0o600);
          writeSync(fd2, JSON.stringify({ pid: process.pid, ...owner }));
          closeSync(fd2);
          // rename is atomic, so a reader never sees half a file
          renameSync(tmp, path);
        },
        release() {
          process.off("exit", release);
          release();
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readLockOwner(dataDir);
      if (owner) throw new DataDirBusyError(dataDir, owner);
      let stalePid: number | undefined;
      try {
        stalePid = (JSON.parse(readFileSync(path, "utf8")) as LockOwner).pid;
      } catch {
        // unreadable lock: a writer died mid-write, so it is stale as well
      }
      if (stalePid !== undefined && isAlive(stalePid)) continue;
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}
