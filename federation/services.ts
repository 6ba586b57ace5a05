import type { Config } from "../src/config";
import type { Db } from "../src/db/database";
import type { AccountLookup } from "../src/domain/accounts";
import type { NoteScorer } from "../src/domain/notes";
import type { Tasks } from "./tasks";

/** What every dispatcher and listener gets as Fedify context data. */
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
