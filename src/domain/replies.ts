import { and, asc, count, eq, type SQL } from "drizzle-orm";
import { inboundNotes } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { publicAudience } from "./audience";

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
 * The one rule for which replies to a campaign anyone may see, on its page and in its ActivityPub
 * `replies` collection alike: public or unlisted notes only (never followers-only or direct), and
 * none that moderators hid. Every public listing of replies goes through this condition.
 */
function publiclyVisibleReplies(campaignId: string): SQL | undefined {
  return and(
    eq(inboundNotes.campaignId, campaignId),
    eq(inboundNotes.hidden, false),
    publicAudience(inboundNotes.audience),
  );
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
    .where(publiclyVisibleReplies(campaignId))
    .orderBy(asc(inboundNotes.published))
    .limit(limit);
}

export const REPLIES_PAGE_SIZE = 20;

/**
 * One page (from 0) of the IRIs of a campaign's publicly visible replies, oldest first, and their
 * total: the campaign's ActivityPub `replies` collection, which Mastodon 4.4+ crawls to show a
 * thread. Lists public and unlisted notes only, never hidden ones (`publiclyVisibleReplies`).
 */
export async function publicRepliesOf(
  db: Db,
  campaignId: string,
  page: number,
): Promise<{ iris: string[]; total: number }> {
  const [{ total }] = await db.select({ total: count() }).from(inboundNotes).where(publiclyVisibleReplies(campaignId));
  const rows = await db
    .select({ iri: inboundNotes.iri })
    .from(inboundNotes)
    .where(publiclyVisibleReplies(campaignId))
    .orderBy(asc(inboundNotes.published), asc(inboundNotes.iri))
    .limit(REPLIES_PAGE_SIZE)
    .offset(Math.max(0, page) * REPLIES_PAGE_SIZE);
  return { iris: rows.map((r) => r.iri), total };
}
