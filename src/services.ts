import type { Context, Federation } from "@fedify/fedify";
import type { Config } from "./config";
import type { Db } from "./db/database";
import type { AccountLookup } from "./domain/accounts";
import type { NoteScorer } from "./emotion";

/** Deferred work on the job queue (pg-boss queues in federation/tasks.ts). */
export interface Tasks {
  scheduleTally(campaignId: string): Promise<void>;
  /** After a model upgrade: notes scored by an older model are re-scored in the background. */
  scheduleRescore(): Promise<void>;
  /** Publishes a draft at `at` (its start), if it is still marked as scheduled then (src/domain/schedule.ts). */
  schedulePublication(campaignId: string, at: Date): Promise<void>;
}

/**
 * What every dispatcher, listener and handler gets: Fedify's context data, and what the web
 * side is given. It lives here, not in federation/, so that src/ never imports federation/.
 */
export interface Services {
  db: Db;
  config: Config;
  /** Deferred work (batched poll updates); absent in one-shot CLI commands. */
  tasks?: Tasks;
  /** Scores every stored inbound note inline; absent only where no note is stored. */
  scoreNote?: NoteScorer;
  /** Resolves `@name@host` through WebFinger and the server's loader; absent in one-shot CLI commands. */
  lookupAccount?: AccountLookup;
}

/** The instance actor signs Ensemble's own fetches; a dot keeps it out of the community handle space. */
export const INSTANCE_ACTOR = "instance.actor";

/** A Fedify context outside any request (jobs, steward actions): URLs it builds use the configured origin. */
export function originContext(federation: Federation<Services>, services: Services): Context<Services> {
  return federation.createContext(new URL(services.config.origin), services);
}
