// The operator's commands that need the database (communities, steward tokens and invites). The CLI
// runs them in its own process or, when PGlite holds the data folder, asks the running server to
// (POST /_ensemble/admin, src/http/admin.ts): both import them from here, so http never imports the CLI.
import { parseArgs } from "node:util";
import { z, ZodError } from "zod";
import type { Services } from "../services";
import { createCommunity, DuplicateCommunityError, findCommunity, listCommunities } from "../domain/communities";
import { createInvite } from "../domain/invites";
import { InvalidTokenError, issueToken, revokeToken } from "../domain/tokens";
import { communityUrl } from "../domain/urls";

export interface CommandResult {
  exitCode: number;
  output: string;
}

/** A sub-command that needs the database; it runs in the CLI process or, for PGlite, inside the server. */
export interface DbCommand {
  usage: string;
  summary: string;
  run(args: string[], services: Services): Promise<CommandResult>;
}

const ok = (output: string): CommandResult => ({ exitCode: 0, output });
const fail = (output: string): CommandResult => ({ exitCode: 1, output });

export const dbCommands: Record<string, DbCommand> = {
  "community create": {
    usage: "community create <handle> --name <name> [--summary <text>]",
    summary: "create a community (a Group actor that fediverse users can follow)",
    async run(args, { db, config }) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { name: { type: "string" }, summary: { type: "string" } },
      });
      const community = await createCommunity(db, {
        handle: positionals[0] ?? "",
        name: values.name ?? "",
        summary: values.summary ?? "",
      });
      const host = new URL(config.origin).host;
      return ok(`Created @${community.handle}@${host} (${communityUrl(config.origin, community.handle)})`);
    },
  },
  "community list": {
    usage: "community list",
    summary: "list the communities on this server",
    async run(_args, { db }) {
      const rows = await listCommunities(db);
      return ok(rows.map((c) => `${c.handle}\t${c.name}`).join("\n"));
    },
  },
  "steward token": {
    usage: "steward token <community> [--role steward|moderator] [--expires 30d] [--label <name>]",
    summary: "print a Steward API token for a community (moderators may only read)",
    async run(args, { db, config }) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { role: { type: "string" }, expires: { type: "string" }, label: { type: "string" } },
      });
      const handle = positionals[0] ?? "";
      const community = await findCommunity(db, handle);
      if (!community) return fail(`No community with the handle "${handle}". See ensemble community list.`);
      const token = await issueToken(db, config.origin, community, values);
      // only the token on stdout, so that TOKEN=$(ensemble steward token …) works
      return ok(token);
    },
  },
  "steward revoke": {
    usage: "steward revoke <token>",
    summary: "revoke a Steward API token before it expires (the API then answers 401)",
    async run(args, { db, config }) {
      const token = args[0] ?? "";
      try {
        await revokeToken(db, config.origin, token);
      } catch (e) {
        if (e instanceof InvalidTokenError) return fail(`${e.message} Nothing to revoke.`);
        throw e;
      }
      return ok("Revoked.");
    },
  },
  "steward invite": {
    usage: "steward invite <community> [--label <name>]",
    summary: "print a one-time sign-in link to the steward console (valid 24 hours)",
    async run(args, { db, config }) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { label: { type: "string" } },
      });
      const handle = positionals[0] ?? "";
      const community = await findCommunity(db, handle);
      if (!community) return fail(`No community with the handle "${handle}". See ensemble community list.`);
      // the label names the steward in the session token and the community's public record
      const label = z
        .string()
        .trim()
        .min(1, "a label cannot be empty")
        .max(100)
        .parse(values.label ?? "steward");
      const secret = await createInvite(db, community.handle, label);
      // only the link on stdout, so that it can be piped into a mail
      return ok(`${config.origin}/console/signin?token=${secret}`);
    },
  },
};

export function findDbCommand(argv: string[]): { command: DbCommand; args: string[] } | undefined {
  for (const words of [2, 1]) {
    const command = dbCommands[argv.slice(0, words).join(" ")];
    if (command) return { command, args: argv.slice(words) };
  }
  return undefined;
}

/** Runs a database command, turning the user's mistakes into messages rather than stack traces. */
export async function runDbCommand(argv: string[], services: Services): Promise<CommandResult> {
  const found = findDbCommand(argv);
  if (!found) return { exitCode: 2, output: `Unknown command: ${argv.join(" ")}. See ensemble --help.` };
  try {
    return await found.command.run(found.args, services);
  } catch (e) {
    if (e instanceof ZodError) {
      const lines = e.issues.map((i) => `  ${i.path.join(".") || "input"}: ${i.message}`);
      return { exitCode: 1, output: `Invalid input:\n${lines.join("\n")}\nUsage: ensemble ${found.command.usage}` };
    }
    if (e instanceof DuplicateCommunityError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      return { exitCode: 1, output: `${(e as Error).message}\nUsage: ensemble ${found.command.usage}` };
    }
    throw e;
  }
}
