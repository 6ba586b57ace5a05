import { and, eq } from "drizzle-orm";
import { inboundNotes } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { htmlToText, sanitizeRemoteHtml } from "./html";

/** Emotion scores of one note's text, in the model's label order; null when there is nothing to score. */
export type NoteScorer = (text: string, lang?: string) => Promise<{ scores: number[]; model: string } | null>;

export interface IncomingNote {
  iri: string;
  communityId: string;
  campaignId: string | null;
  inReplyTo: string | null;
  authorIri: string;
  /** As received: sanitized here, before anything stores or shows it. */
  contentHtml: string;
  language: string | null;
  published: Date;
}

export type InboundNote = typeof inboundNotes.$inferSelect;

async function scored(html: string, language: string | null, score?: NoteScorer) {
  const contentHtml = sanitizeRemoteHtml(html);
  const text = htmlToText(contentHtml);
  const emotion = score ? await score(text, language ?? undefined) : null;
  return { contentHtml, text, emotionScores: emotion?.scores ?? null, emotionModel: emotion?.model ?? null };
}

/** Stores a reply or mention, scored inline; a redelivered note is stored once. */
export async function storeInboundNote(db: Db, note: IncomingNote, score?: NoteScorer): Promise<boolean> {
  const rows = await db
    .insert(inboundNotes)
    .values({ ...note, ...(await scored(note.contentHtml, note.language, score)) })
    .onConflictDoNothing({ target: inboundNotes.iri })
    .returning({ id: inboundNotes.id });
  return rows.length > 0;
}

/** An edit by the note's author replaces its content and its scores. */
export async function updateInboundNote(
  db: Db,
  iri: string,
  authorIri: string,
  change: { contentHtml: string; language: string | null; updated: Date },
  score?: NoteScorer,
): Promise<boolean> {
  const rows = await db
    .update(inboundNotes)
    .set({ ...(await scored(change.contentHtml, change.language, score)), language: change.language, updated: change.updated })
    .where(and(eq(inboundNotes.iri, iri), eq(inboundNotes.authorIri, authorIri)))
    .returning({ id: inboundNotes.id });
  return rows.length > 0;
}

/** A deletion by its author removes the note, its content and its scores. */
export async function deleteInboundNote(db: Db, iri: string, authorIri: string): Promise<boolean> {
  const rows = await db
    .delete(inboundNotes)
    .where(and(eq(inboundNotes.iri, iri), eq(inboundNotes.authorIri, authorIri)))
    .returning({ id: inboundNotes.id });
  return rows.length > 0;
}

export async function findInboundNote(db: Db, iri: string): Promise<InboundNote | undefined> {
  const [row] = await db.select().from(inboundNotes).where(eq(inboundNotes.iri, iri));
  return row;
}
