import type { InboxContext } from "@fedify/fedify";
import { LanguageString, Mention, isActor, type Create, type Delete, type Note, type Update } from "@fedify/vocab";
import { audienceOf, type Audience } from "../src/domain/audience";
import { MAX_TAGS_READ, deleteInboundNote, storeInboundNote, updateInboundNote } from "../src/domain/notes";
import { isBlocked } from "../src/domain/blocks";
import { authorProfile, type AuthorProfile } from "../src/domain/authors";
import { loaders, localTarget, type LocalTarget } from "./targets";
import type { Services } from "../src/services";

/**
 * The note's language: Mastodon sends both a plain `content` and a `contentMap` keyed by language,
 * so the tag is on the first language-tagged value, not necessarily on `content`.
 */
const languageOf = (note: Note) =>
  note.contents.find((c): c is LanguageString => c instanceof LanguageString)?.locale.baseName ?? null;
const toDate = (i: { epochMilliseconds: number } | null) => (i ? new Date(i.epochMilliseconds) : new Date());

/**
 * Mentions are read as the note embeds them (as Mastodon, Misskey, Pleroma and Lemmy send them)
 * and never fetched: reading stops at the first tag that would need fetching (only a URL, or
 * the id of another server's object), or after {@link MAX_TAGS_READ} tags, so a note listing
 * thousands of URLs costs no request (each would be a signed GET, again on every retry).
 */
async function* embeddedMentions(note: Note): AsyncGenerator<Mention> {
  const noFetch = async (url: string): Promise<never> => {
    throw new TagNotFetched(url);
  };
  let read = 0;
  try {
    for await (const tag of note.getTags({ documentLoader: noFetch, contextLoader: noFetch })) {
      if (tag instanceof Mention) yield tag;
      if (++read >= MAX_TAGS_READ) return;
    }
  } catch (error) {
    if (!(error instanceof TagNotFetched)) throw error;
  }
}

class TagNotFetched extends Error {}

/** A note concerns a community when it replies to one of its campaigns or updates, or mentions it. */
export async function noteTarget(ctx: InboxContext<Services>, note: Note): Promise<LocalTarget | undefined> {
  const replied = await localTarget(ctx, note.replyTargetId);
  if (replied) return replied;
  for await (const mention of embeddedMentions(note)) {
    const mentioned = await localTarget(ctx, mention.href);
    if (mentioned?.kind === "community") return mentioned;
  }
  return undefined;
}

/** Who the note is addressed to; the author's followers collection is read only for a note that is not public. */
async function audience(ctx: InboxContext<Services>, create: Create, note: Note): Promise<Audience> {
  const addressed = note.toIds.length + note.ccIds.length > 0 ? note : create;
  const addressing = {
    to: addressed.toIds.map((u) => u.href),
    cc: addressed.ccIds.map((u) => u.href),
    followers: null,
  };
  const known = audienceOf(addressing);
  if (known === "public" || known === "unlisted") return known;
  const author = await create.getActor(await loaders(ctx)).catch(() => null);
  return audienceOf({
    ...addressing,
    followers: author && isActor(author) ? (author.followersId?.href ?? null) : null,
  });
}

export async function onReply(
  ctx: InboxContext<Services>,
  create: Create,
  note: Note,
  target: LocalTarget,
): Promise<void> {
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
      audience: await audience(ctx, create, note),
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
