// Who wrote a reply, as their server describes them: remote text, so it is checked before it is
// stored and shown as text only; a profile link is kept only when it is a web address.

export interface AuthorProfile {
  authorUsername: string | null;
  authorName: string | null;
  authorUrl: string | null;
}

const USERNAME = /^[\p{L}\p{N}_.-]{1,64}$/u;
const NAME_MAX = 100;

/** The parts of a remote actor a page may show: a plausible username, a one-line name, an http(s) URL. */
export function authorProfile(actor: { preferredUsername?: unknown; name?: unknown; url?: unknown }): AuthorProfile {
  const username =
    typeof actor.preferredUsername === "string" && USERNAME.test(actor.preferredUsername)
      ? actor.preferredUsername
      : null;
  const name =
    typeof actor.name === "string"
      ? actor.name
          .replace(/[\p{Cc}\p{Cf}]/gu, "")
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, NAME_MAX) || null
      : null;
  const url = typeof actor.url === "string" && isWebUrl(actor.url) && actor.url.length <= 2000 ? actor.url : null;
  return { authorUsername: username, authorName: name, authorUrl: url };
}

/**
 * The one rule for links to anything a remote server told us (author IRIs, profile and note
 * URLs): only an `http(s)` URL becomes a link; anything else (`javascript:`, `data:`, a bare
 * string) is shown as text, never as an href.
 */
export function isWebUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value);
}

/** `@name@host` from the author's actor IRI and username; undefined when either is unknown. */
export function fediverseHandle(authorIri: string, username: string | null): string | undefined {
  if (!username) return undefined;
  try {
    return `@${username}@${new URL(authorIri).host}`;
  } catch {
    return undefined;
  }
}
