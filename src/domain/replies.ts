import { and, asc, eq } from "drizzle-orm";
import { inboundNotes } from "../../drizzle/schema";
import type { Db } from "../db/database";

export interface PublicReply {
  iri: string;
  authorIri: string;
  authorUsername: string | null;
  authorName: string | null;
  authorUrl: string | null;
  text: string;
  language: string | null;
  published: Date;
}

/**
 * Replies to a campaign that moderators have not hidden, oldest first. Only the plain text is
 * read: pages show replies as text, so no remote markup reaches them at all. Capped, so that
 * a flood of replies cannot make the page unbounded.
 */
export async function listPublicReplies(db: Db, campaignId: string, limit = 200): Promise<PublicReply[]> {
  return db
    .select({
      iri: inboundNotes.iri,
      authorIri: inboundNotes.authorIri,
      authorUsername: inboundNotes.authorUsername,
      authorName: inboundNotes.authorName,
      authorUrl: inboundNotes.authorUrl,
      text: inboundNotes.text,
      language: inboundNotes.language,
      published: inboundNotes.published,
    })
    .from(inboundNotes)
    .where(and(eq(inboundNotes.campaignId, campaignId), eq(inboundNotes.hidden, false)))
    .orderBy(asc(inboundNotes.published))
    .limit(limit);
}
