import type { Config } from "../src/config";
import type { Db } from "../src/db/database";

/** What every dispatcher and listener gets as Fedify context data. */
export interface Services {
  db: Db;
  config: Config;
}

/** The instance actor signs Ensemble's own fetches; a dot keeps it out of the community handle space. */
export const INSTANCE_ACTOR = "instance.actor";
