import type { Db } from "../db/database";
import { removeParticipant } from "./campaigns";
import { removeFollowerEverywhere } from "./followers";
import { deleteAuthorNotes } from "./notes";

export interface ForgottenAccount {
  notes: number;
  follows: number;
  /** Campaigns whose tallies changed: their counts must be federated again. */
  campaigns: string[];
}

/**
 * A remote account was deleted (Mastodon's `Delete{object: actor}`, or its actor now answers
 * 410 Gone): what it wrote goes with its scores (the report rollups are decremented in the
 * same transaction), and so do its votes, joins and follows. Running it twice changes nothing.
 */
export async function forgetAccount(db: Db, actorIri: string): Promise<ForgottenAccount> {
  const notes = await deleteAuthorNotes(db, actorIri);
  const campaigns = await removeParticipant(db, actorIri);
  const follows = await removeFollowerEverywhere(db, actorIri);
  return { notes, follows, campaigns };
}
