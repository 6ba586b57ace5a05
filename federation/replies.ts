import type { InboxContext } from "@fedify/fedify";
import { LanguageString, Mention, type Create, type Delete, type Note, type Update } from "@fedify/vocab";
import { deleteInboundNote, storeInboundNote, updateInboundNote } from "../src/domain/notes";
import { isBlocked } from "../src/domain/blocks";
import { loaders, localTarget, type LocalTarget } from "./targets";
import type { Services } from "./services";

/**
 * The note's language: Mastodon sends both a plain `content` and a `contentMap` keyed by language,
 * so the tag is on the first language-tagged value, not necessarily on `content`.
 */
const languageOf = (note: Note) => note.contents.find((c): c is LanguageString => c instanceof LanguageString)?.locale.baseName ?? null;
const toDate = (i: { epochMilliseconds: number } | null) => (i ? new Date(i.epochMilliseconds) : new Date());

/** A note concerns a community when it replies to one of its campaigns or updates, or mentions it. */
export async function noteTarget(ctx: InboxContext<Services>, note: Note): Promise<LocalTarget | undefined> {
  const replied = await localTarget(ctx, note.replyTargetId);
  if (replied) return replied;
  for await (const tag of note.getTags(await loaders(ctx))) {
    if (tag instanceof Mention) {
      const mentioned = await localTarget(ctx, tag.href);
      if (mentioned?.kind === "community") return mentioned;
    }
  }
  return undefined;
}

export async function onReply(ctx: InboxContext<Services>, create: Create, note: Note, target: LocalTarget): Promise<void> {
  if (!note.id || !create.actorId) return;
  if (await isBlocked(ctx.data.db, target.community.id, create.actorId.href)) return;
  await storeInboundNote(
    ctx.data.db,
    {
      iri: note.id.href,
      communityId: target.community.id,
      campaignId: target.campaign?.id ?? null,
      inReplyTo: note.replyTargetId?.href ?? null,
      authorIri: create.actorId.href,
      contentHtml: note.content?.toString() ?? "",
      language: languageOf(note),
      published: toDate(note.published),
    },
    ctx.data.scoreNote,
  );
}

export async function onNoteUpdate(ctx: InboxContext<Services>, update: Update, note: Note): Promise<void> {
  if (!note.id || !update.actorId) return;
  await updateInboundNote(
    ctx.data.db,
    note.id.href,
    update.actorId.href,
    { contentHtml: note.content?.toString() ?? "", language: languageOf(note), updated: toDate(note.updated) },
    ctx.data.scoreNote,
  );
}

export async function onDelete(ctx: InboxContext<Services>, del: Delete): Promise<void> {
  if (!del.objectId || !del.actorId) return;
  await deleteInboundNote(ctx.data.db, del.objectId.href, del.actorId.href);
}
