import { and, eq, gt, isNotNull, ne } from "drizzle-orm";
import { inboundNotes, type InboundNote } from "../../drizzle/schema";
import type { Db } from "../db/database";
import type { NoteScorer } from "../emotion";
import type { Audience } from "./audience";
import { shippedModel, applyNoteChanges, type NoteChange, type RolledNote, PUBLISHED_SKEW_MS } from "../reports";
import { htmlToText, sanitizeRemoteHtml } from "./html";

/** The row types live beside their tables; re-exported for this module's callers. */
export type { InboundNote };

export interface IncomingNote {
  iri: string;
  communityId: string;
  campaignId: string | null;
  inReplyTo: string | null;
  authorIri: string;
  /** Who wrote it, as the author's actor says (already checked by `authorProfile`). */
  authorUsername?: string | null;
  authorName?: string | null;
  authorUrl?: string | null;
  /** As received: sanitized here, before anything stores or shows it. */
  contentHtml: string;
  language: string | null;
  published: Date;
  /** Who the author addressed; notes stored without federation (imports, fixtures) are public. */
  audience?: Audience;
}

/** Tags read from one inbound note: Mastodon puts a handful; more is a flood, not a conversation. */
export const MAX_TAGS_READ = 50;

async function scored(html: string, language: string | null, score?: NoteScorer) {
  const contentHtml = sanitizeRemoteHtml(html);
  const text = htmlToText(contentHtml);
  const emotion = score ? await score(text, language ?? undefined) : null;
  return { contentHtml, text, emotionScores: emotion?.scores ?? null, emotionModel: emotion?.model ?? null };
}

/** What the report rollups need of a stored note, read back as stored (float32 scores). */
const rolled = {
  communityId: inboundNotes.communityId,
  campaignId: inboundNotes.campaignId,
  authorIri: inboundNotes.authorIri,
  published: inboundNotes.published,
  scores: inboundNotes.emotionScores,
  model: inboundNotes.emotionModel,
  audience: inboundNotes.audience,
  hidden: inboundNotes.hidden,
  language: inboundNotes.language,
};

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Sentiment-report rollups follow every scored write, in its transaction (src/reports/rollups/rollup-incremental.ts). */
async function rollUp(
  tx: Pick<Db, "execute">,
  changes: { note: RolledNote | undefined; sign: 1 | -1 }[],
): Promise<void> {
  const model = shippedModel()?.info;
  const present = changes.filter((c): c is NoteChange => c.note !== undefined);
  if (model && present.length) await applyNoteChanges(tx, model, present);
}

/**
 * `published` comes from the sender: unchecked, it would let anyone file notes into days and
 * weeks that were already reported (topping a past window up, or differencing it). So it is
 * kept only within [received − skew, received].
 */
export function clampPublished(published: Date, receivedAt: Date): Date {
  const t = Number.isNaN(published.getTime()) ? receivedAt.getTime() : published.getTime();
  return new Date(Math.min(receivedAt.getTime(), Math.max(receivedAt.getTime() - PUBLISHED_SKEW_MS, t)));
}

/** Stores a reply or mention, scored inline; a redelivered note is stored once. */
export async function storeInboundNote(
  db: Db,
  note: IncomingNote,
  score?: NoteScorer,
  receivedAt = new Date(),
): Promise<boolean> {
  const [stored] = await storeInboundNotes(db, [{ note, receivedAt }], score);
  return stored;
}

/**
 * Stores many replies and mentions at once (the inbox's batches): all scored together (the
 * inline scorer gathers concurrent notes into one model run), inserted by one statement in one
 * transaction, with the rollups updated once for all of them. A note already stored, or twice
 * in the batch, is stored once; for each note, whether this call stored it.
 */
export async function storeInboundNotes(
  db: Db,
  notes: readonly { note: IncomingNote; receivedAt: Date }[],
  score?: NoteScorer,
): Promise<boolean[]> {
  if (notes.length === 0) return [];
  const values = await Promise.all(
    notes.map(async ({ note, receivedAt }) => ({
      ...note,
      published: clampPublished(note.published, receivedAt),
      ...(await scored(note.contentHtml, note.language, score)),
    })),
  );
  const stored = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(inboundNotes)
      .values(values)
      .onConflictDoNothing({ target: inboundNotes.iri })
      .returning({ iri: inboundNotes.iri, ...rolled });
    await rollUp(
      tx,
      rows.map(({ iri: _, ...note }) => ({ note, sign: 1 as const })),
    );
    return new Set(rows.map((r) => r.iri));
  });
  // a note given twice is reported stored for its first occurrence only
  return notes.map(({ note }) => stored.delete(note.iri));
}

/** An edit by the note's author replaces its content and its scores. */
export async function updateInboundNote(
  db: Db,
  iri: string,
  authorIri: string,
  change: { contentHtml: string; language: string | null; updated: Date },
  score?: NoteScorer,
): Promise<boolean> {
  const values = {
    ...(await scored(change.contentHtml, change.language, score)),
    language: change.language,
    updated: change.updated,
  };
  const mine = and(eq(inboundNotes.iri, iri), eq(inboundNotes.authorIri, authorIri));
  return db.transaction(async (tx) => {
    const [before] = await tx.select(rolled).from(inboundNotes).where(mine).for("update");
    if (!before) return false;
    const [after] = await tx.update(inboundNotes).set(values).where(mine).returning(rolled);
    await rollUp(tx, [
      { note: before, sign: -1 },
      { note: after, sign: 1 },
    ]);
    return true;
  });
}

/** A deletion by its author removes the note, its content and its scores. */
export async function deleteInboundNote(db: Db, iri: string, authorIri: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(inboundNotes)
      .where(and(eq(inboundNotes.iri, iri), eq(inboundNotes.authorIri, authorIri)))
      .returning(rolled);
    await rollUp(tx, [{ note: row, sign: -1 }]);
    return row !== undefined;
  });
}

/** Everything an account wrote, removed with its scores, when the account is deleted. */
export async function deleteAuthorNotes(db: Db, authorIri: string): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.delete(inboundNotes).where(eq(inboundNotes.authorIri, authorIri)).returning(rolled);
    await rollUp(
      tx,
      rows.map((note) => ({ note, sign: -1 as const })),
    );
    return rows.length;
  });
}

/**
 * A moderator hides a note of this community from the public pages; it leaves the report
 * figures in the same transaction. Returns false when the community received no such note.
 */
export async function hideInboundNote(tx: Db | Tx, communityId: string, iri: string): Promise<boolean> {
  const which = and(eq(inboundNotes.iri, iri), eq(inboundNotes.communityId, communityId));
  const [before] = await tx.select(rolled).from(inboundNotes).where(which).for("update");
  if (!before) return false;
  const [after] = await tx.update(inboundNotes).set({ hidden: true }).where(which).returning(rolled);
  await rollUp(tx, [
    { note: before, sign: -1 },
    { note: after, sign: 1 },
  ]);
  return true;
}

/**
 * Re-scores stored notes that another model version scored (after a model upgrade), up to
 * `limit` of them in id order after `after`; returns the last id looked at, or null when none
 * remain. Each note changes in its own transaction and only if it still carries the version
 * it was read with, so an edit in between (re-scored by the new model) or a second worker
 * doing the same never counts a note twice in the rollups.
 */
export async function rescoreStaleNotes(
  db: Db,
  score: NoteScorer,
  version: string,
  after: string | null,
  limit = 256,
): Promise<string | null> {
  const stale = and(isNotNull(inboundNotes.emotionModel), ne(inboundNotes.emotionModel, version));
  const rows = await db
    .select({
      id: inboundNotes.id,
      text: inboundNotes.text,
      language: inboundNotes.language,
      model: inboundNotes.emotionModel,
    })
    .from(inboundNotes)
    .where(after ? and(stale, gt(inboundNotes.id, after)) : stale)
    .orderBy(inboundNotes.id)
    .limit(limit);
  const emotions = await Promise.all(rows.map((r) => score(r.text, r.language ?? undefined)));
  for (const [i, r] of rows.entries()) {
    const unchanged = and(eq(inboundNotes.id, r.id), eq(inboundNotes.emotionModel, r.model!));
    await db.transaction(async (tx) => {
      const [before] = await tx.select(rolled).from(inboundNotes).where(unchanged).for("update");
      if (!before) return;
      const values = { emotionScores: emotions[i]?.scores ?? null, emotionModel: emotions[i]?.model ?? null };
      const [now] = await tx.update(inboundNotes).set(values).where(unchanged).returning(rolled);
      await rollUp(tx, [
        { note: before, sign: -1 },
        { note: now, sign: 1 },
      ]);
    });
  }
  return rows.at(-1)?.id ?? null;
}

export async function findInboundNote(db: Db, iri: string): Promise<InboundNote | undefined> {
  const [row] = await db.select().from(inboundNotes).where(eq(inboundNotes.iri, iri));
  return row;
}
