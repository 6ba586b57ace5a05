import { ConfigError, loadConfig } from "../config";
import { DataDirBusyError, readLockOwner } from "../db/lock";
import { dbCommands, findDbCommand, runDbCommand, type CommandResult } from "../ops/commands";

const streamCommands: Record<
  string,
  { usage: string; summary: string; load: () => Promise<(args: string[]) => Promise<number>> }
> = {
  classify: {
    usage: "classify < notes.jsonl",
    summary: 'score JSON lines {"text": "...", "lang": "fr"} with the emotion model, one JSON line out per line in',
    load: async () => {
      const { classifyCommand } = await import("./classify");
      return (args) => classifyCommand(args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    },
  },
  verify: {
    usage: "verify <record URL>",
    summary: "check a published record's signature, inclusion in the log and consistency with the pinned checkpoint",
    load: async () => {
      const { verifyCommand } = await import("./verify");
      return (args) => verifyCommand(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    },
  },
};

function help(): string {
  const rows = [
    ...Object.values(dbCommands).map((c) => [c.usage, c.summary]),
    ...Object.values(streamCommands).map((c) => [c.usage, c.summary]),
  ];
  const width = Math.max(...rows.map(([u]) => u.length));
  return [
    "Usage: ensemble <command> [options]",
    "",
    "Commands:",
    ...rows.map(([u, s]) => `  ${u.padEnd(width)}  ${s}`),
    "",
    "Settings come from the environment (DATABASE_URL, ENSEMBLE_DATA_DIR, ENSEMBLE_ORIGIN, …); see README.md.",
    "With the embedded database, commands run through the server when it is running.",
  ].join("\n");
}

/**
 * PGlite admits one process per data folder: when the server holds it, the command is
 * sent to the server; otherwise the CLI opens the folder itself (and holds the lock).
 */
async function runAgainstDatabase(argv: string[]): Promise<CommandResult> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    const owner = readLockOwner(config.dataDir);
    if (owner?.adminUrl && owner.adminToken) {
      const res = await fetch(`${owner.adminUrl}/_ensemble/admin`, {
        method: "POST",
        headers: { authorization: `Bearer ${owner.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ argv }),
      });
      if (!res.ok) throw new Error(`The running server (process ${owner.pid}) refused the command: HTTP ${res.status}`);
      return (await res.json()) as CommandResult;
    }
    if (owner) throw new DataDirBusyError(config.dataDir, owner);
  }
  // loaded here so that --help and classify start without PGlite
  const { openDatabase } = await import("../db/database");
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    return await runDbCommand(argv, { db: database.db, config });
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    console.log(help());
    return 0;
  }
  const stream = streamCommands[argv[0]];
  if (stream) return (await stream.load())(argv.slice(1));
  if (!findDbCommand(argv)) {
    console.error(`Unknown command: ${argv.join(" ")}\n\n${help()}`);
    return 2;
  }
  const result = await runAgainstDatabase(argv);
  (result.exitCode === 0 ? process.stdout : process.stderr).write(result.output ? `${result.output}\n` : "");
  return result.exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof ConfigError || e instanceof DataDirBusyError) {
    console.error(e.message);
    process.exitCode = 1;
  } else {
    console.error(`ensemble: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
