/**
 * Reads the commonest inbound activity, a `Create` of an embedded `Note` in the plain compact
 * form Mastodon, Misskey and Pleroma send, straight from its JSON. What is read here means what
 * JSON-LD processing would make of it only because the shape is held to what makes them agree:
 * the ActivityStreams context (plus the security context and inline term definitions that
 * redefine no term read here), no keyword or compact-IRI keys, no nested context, single string
 * values where an IRI is read. Anything else is `null` and goes through Fedify's full parse.
 */

import { MAX_TAGS_READ } from "../domain/notes";

const AS = "https://www.w3.org/ns/activitystreams";
const SECURITY = "https://w3id.org/security/v1";

/** Terms read below (and types compared): an inline context may not redefine them. */
const READ_TERMS = new Set([
  "as",
  "id",
  "type",
  "actor",
  "object",
  "to",
  "cc",
  "inReplyTo",
  "content",
  "contentMap",
  "name",
  "nameMap",
  "attributedTo",
  "published",
  "tag",
  "href",
  "signature",
  "proof",
  "Create",
  "Note",
  "Mention",
  "Public",
]);

/** A reply, mention or poll vote as the fast lane queues it: plain values, IRIs normalised as Fedify's `URL.href`. */
export interface FastCreate {
  activityId: string;
  actorIri: string;
  noteIri: string;
  inReplyTo: string | null;
  /** Actors the note mentions by an embedded `Mention` tag, in order, up to the first tag that would need fetching. */
  mentions: string[];
  /** `content`, else the first `contentMap` value; "" when neither. */
  contentHtml: string;
  /** The first language-tagged content's language (Fedify: `LanguageString.locale.baseName`). */
  language: string | null;
  /** A poll vote's option. */
  name: string | null;
  /** ISO 8601, or null when the note does not say. */
  published: string | null;
  /** The note's addressing, or the activity's when the note has none. */
  to: string[];
  cc: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const href = (v: unknown): string | null => (typeof v === "string" && URL.canParse(v) ? new URL(v).href : null);
const absent = (v: unknown) => v === undefined || v === null;

function plainContext(context: unknown): boolean {
  const entries = Array.isArray(context) ? context : [context];
  if (entries[0] !== AS) return false;
  return entries.every(
    (e) =>
      e === AS ||
      e === SECURITY ||
      (isObject(e) && Object.keys(e).every((k) => !k.startsWith("@") && !k.includes(":") && !READ_TERMS.has(k))),
  );
}

/**
 * No JSON-LD keyword (other than the top-level context), no compact-IRI or absolute-IRI key, and
 * no Linked Data signature or proof (their verification is Fedify's).
 */
const plainKeys = (o: Json, top: boolean) =>
  o.signature === undefined &&
  o.proof === undefined &&
  Object.keys(o).every((k) => (top && k === "@context") || (!k.startsWith("@") && !k.includes(":")));

/** One IRI, or a list of them; null when any entry is not a plain IRI string. */
function iris(v: unknown): string[] | null {
  if (absent(v)) return [];
  const list = Array.isArray(v) ? v : [v];
  const out = list.map(href);
  return out.every((x): x is string => x !== null) ? out : null;
}

// parsing a language tag costs more than the rest of the reading: the few in use are remembered
const languageTags = new Map<string, string | null>();

function languageTag(tag: string): string | null {
  let known = languageTags.get(tag);
  if (known !== undefined) return known;
  try {
    known = new Intl.Locale(tag).baseName;
  } catch {
    known = null;
  }
  if (languageTags.size >= 1000) languageTags.clear();
  languageTags.set(tag, known);
  return known;
}

function embeddedMentions(tags: unknown, noteOrigin: string): string[] {
  const mentions: string[] = [];
  const list = absent(tags) ? [] : Array.isArray(tags) ? tags : [tags];
  for (const tag of list.slice(0, MAX_TAGS_READ)) {
    // a tag given by reference, or another server's object, would be fetched: reading stops
    if (!isObject(tag) || (tag.id !== undefined && href(tag.id) && new URL(href(tag.id)!).origin !== noteOrigin)) break;
    const target = href(tag.href);
    if (tag.type === "Mention" && target) mentions.push(target);
  }
  return mentions;
}

/**
 * The activity as a {@link FastCreate} when it is a plain compact `Create(Note)` by `actor`,
 * authored by it and on its origin (FEP-fe34, as federation/inbox.ts's `authoredBy`), else null.
 */
export function readFastCreate(activity: Json, actor: URL): FastCreate | null {
  const note = activity.object;
  if (activity.type !== "Create" || !plainContext(activity["@context"]) || !plainKeys(activity, true)) return null;
  if (!isObject(note) || note.type !== "Note" || !plainKeys(note, false)) return null;
  const activityId = href(activity.id);
  const noteIri = href(note.id);
  if (!activityId || !noteIri || href(activity.actor) !== actor.href || href(note.attributedTo) !== actor.href)
    return null;
  if (new URL(noteIri).origin !== actor.origin || new URL(activityId).origin !== actor.origin) return null;
  if (!absent(note.nameMap) || !(absent(note.name) || typeof note.name === "string")) return null;
  if (!(absent(note.content) || typeof note.content === "string")) return null;
  const inReplyTo = absent(note.inReplyTo) ? null : href(note.inReplyTo);
  if (!absent(note.inReplyTo) && !inReplyTo) return null;
  // JSON-LD orders a language map's values by language: the first tagged content is the first key
  const contentMap = absent(note.contentMap) ? {} : note.contentMap;
  if (!isObject(contentMap)) return null;
  const languages = Object.keys(contentMap).sort();
  if (languages.some((l) => typeof contentMap[l] !== "string" || !languageTag(l))) return null;
  const published = absent(note.published) ? null : note.published;
  if (published !== null && (typeof published !== "string" || Number.isNaN(Date.parse(published)))) return null;
  const noteTo = iris(note.to);
  const noteCc = iris(note.cc);
  const activityTo = iris(activity.to);
  const activityCc = iris(activity.cc);
  if (!noteTo || !noteCc || !activityTo || !activityCc) return null;
  const addressed = noteTo.length + noteCc.length > 0;
  return {
    activityId,
    actorIri: actor.href,
    noteIri,
    inReplyTo,
    mentions: embeddedMentions(note.tag, new URL(noteIri).origin),
    contentHtml: typeof note.content === "string" ? note.content : ((contentMap[languages[0]] as string) ?? ""),
    language: languages.length ? languageTag(languages[0]) : null,
    name: typeof note.name === "string" ? note.name : null,
    published: published && new Date(published).toISOString(),
    to: addressed ? noteTo : activityTo,
    cc: addressed ? noteCc : activityCc,
  };
}
