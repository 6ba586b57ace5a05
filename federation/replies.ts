import type { InboxContext } from "@fedify/fedify";
import { LanguageString, Mention, type Create, type Delete, type Note, type Update } from "@fedify/vocab";
import { deleteInboundNote, storeInboundNote, updateInboundNote } from "../src/domain/notes";
import { isBlocked } from "../src/domain/blocks";
import { authorProfile, type AuthorProfile } from "../src/domain/authors";
import { loaders, localTarget, type LocalTarget } from "./targets";
import type { Services } from "./services";

const languageOf = (note: Note) => (note.content instanceof LanguageString ? note.content.locale.baseName : null);
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
      ...(await authorOf(ctx, create)),
      contentHtml: note.content?.toString() ?? "",
      language: languageOf(note),
      published: toDate(note.published),
    },
    ctx.data.scoreNote,
  );
}

/**
 * The author's username, name and profile page, so pages can show `@name@host` rather than an
 * IRI. Fetched signed (the signature check usually just fetched it, so it is often cached); an
 * actor that cannot be fetched, or whose document names another id, leaves them unknown.
 */
async function authorOf(ctx: InboxContext<Services>, create: Create): Promise<Partial<AuthorProfile>> {
  try {
    const actor = await create.getActor(await loaders(ctx));
    if (!actor || actor.id?.href !== create.actorId?.href) return {};
    const url = actor.url instanceof URL ? actor.url.href : actor.url?.href?.href;
    return authorProfile({ preferredUsername: actor.preferredUsername?.toString(), name: actor.name?.toString(), url });
  } catch {
    return {};
  }
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
