/**
 * The acceptance rules of real fediverse servers, as read from their source, applied by the
 * in-test peers to what Ensemble sends them. Each says what that server would do with a
 * delivery, so a test fails where the real server would drop or hide it.
 */

const asArray = (v: unknown): unknown[] => (v == null ? [] : Array.isArray(v) ? v : [v]);
const idOf = (v: unknown) => (typeof v === "string" ? v : (v as { id?: string } | null)?.id);

/**
 * Mastodon's `ActivityPub::Parser::PollParser`: a Question is a poll only when its options
 * (`anyOf`, else `oneOf`) are a JSON array (`items.is_a?(Array)`); `anyOf` as an array makes it
 * multiple-choice; an option's text is its `name`, else its `content`. Misskey reads them the
 * same way. Returns null where Mastodon drops the poll.
 */
export function mastodonPoll(question: any): { options: string[]; multiple: boolean } | null {
  if (!asArray(question?.type).includes("Question")) return null;
  const items = question.anyOf ?? question.oneOf;
  if (!Array.isArray(items)) return null;
  return {
    options: items.map((i: any) => i?.name || i?.content).filter(Boolean),
    multiple: Array.isArray(question.anyOf),
  };
}

export interface MastodonServer {
  /** Actor IRIs of this server's accounts. */
  accounts: string[];
  /** Remote actors some local account follows. */
  followed: string[];
  /** Statuses this server holds (by IRI). */
  statuses: string[];
}

/**
 * Mastodon's `ActivityPub::Activity::Create#related_to_local_activity?`: a Create from a remote
 * account is stored only when a local account follows the author, a local account is
 * addressed (`to`/`cc` of the object, or delivery to a personal inbox), or it replies to a
 * status of a followed or local account. Otherwise it is dropped.
 */
export function mastodonStoresCreate(delivery: { path: string; body: any }, server: MastodonServer): boolean {
  const create = delivery.body;
  const object = create?.object;
  if (create?.type !== "Create" || !object || typeof object !== "object") return false;
  if (server.followed.includes(idOf(create.actor)!)) return true;
  if (/^\/users\/[^/]+\/inbox$/.test(delivery.path)) return true; // delivered_to_account_id
  const audience = [...asArray(object.to ?? create.to), ...asArray(object.cc ?? create.cc)].map(idOf);
  if (audience.some((a) => a && server.accounts.includes(a))) return true;
  const parent = idOf(object.inReplyTo);
  return !!parent && server.statuses.includes(parent);
}

/**
 * Mastodon's `FeedManager#filter_from_home`: a reply whose parent the server does not hold
 * (`in_reply_to_id` nil) never enters a home timeline.
 */
export function mastodonShowsInHome(object: any, server: MastodonServer): boolean {
  const parent = idOf(object?.inReplyTo);
  return !parent || server.statuses.includes(parent);
}

/** Who a public post notifies on this server: the local accounts it mentions (`Mention` tags). */
export function mastodonMentioned(object: any, server: MastodonServer): string[] {
  return asArray(object?.tag)
    .filter((t: any) => t?.type === "Mention" && server.accounts.includes(t.href))
    .map((t: any) => t.href);
}

/**
 * Mobilizon's `Transmogrifier.handle_incoming`: a `Create` is handled only for the object
 * types it has a clause for; anything else (a `Question` among them) ends in
 * `{:error, :not_supported}`. An `Article` also needs `actor` and `attributedTo`.
 */
const MOBILIZON_CREATE_TYPES = [
  "Note",
  "Event",
  "Group",
  "Person",
  "Actor",
  "Member",
  "Article",
  "Tombstone",
  "TodoList",
  "Todo",
  "Document",
  "ResourceCollection",
];

export function mobilizonHandlesCreate(create: any): boolean {
  const object = create?.object;
  if (create?.type !== "Create" || !object || typeof object !== "object" || typeof object.id !== "string") return false;
  if (!MOBILIZON_CREATE_TYPES.includes(object.type)) return false;
  return object.type !== "Article" || (object.actor != null && object.attributedTo != null);
}

/** Mobilizon's `Actions.Join.join`: only an Event or a Group can be joined. */
export function mobilizonCanJoin(object: any): boolean {
  return object?.type === "Event" || object?.type === "Group";
}

/**
 * Mastodon's `ActivityPub::VerifyQuoteService`: a quote is accepted when the stamp named by the
 * Accept's `result` dereferences to a `QuoteAuthorization` by the quoted post's author whose
 * `interactingObject` is the quote and whose `interactionTarget` is the quoted post.
 */
export function mastodonQuoteAuthorized(stamp: any, quote: string, quoted: string, quotedAuthor: string): boolean {
  return (
    stamp?.type === "QuoteAuthorization" &&
    idOf(stamp.attributedTo) === quotedAuthor &&
    idOf(stamp.interactingObject) === quote &&
    idOf(stamp.interactionTarget) === quoted
  );
}
