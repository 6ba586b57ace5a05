// A fediverse account named by its handle (`@zoe@example.org`), resolved to the actor IRI its
// server publishes through WebFinger (RFC 7033). The one place where a handle typed by a person
// becomes an account: appointing a moderator, and anything else that names someone, goes here.

/** An account as its server describes it. */
export interface FediverseAccount {
  /** The actor's IRI: what identifies the account in activities and in the public record. */
  readonly iri: string;
  /** `@name@host`, from the WebFinger subject (the server may answer for another host than asked). */
  readonly handle: string;
  /** The display name, when the actor has one (remote text: escape before showing it). */
  readonly name?: string;
}

/**
 * Finds an account from its handle's parts: WebFinger on `host`, then the actor document it
 * points at. Supplied by the federation layer, so that every fetch goes through the server's
 * own loader (signed, address-checked, size- and time-limited). Undefined when there is none.
 */
export type AccountLookup = (username: string, host: string) => Promise<FediverseAccount | undefined>;

/** A handle that names no account: malformed, unknown to its server, or its server unreachable. */
export class AccountResolutionError extends Error {
  constructor(
    message: string,
    /** The input field that held the handle, for error reports. */
    readonly field = "actor",
  ) {
    super(message);
  }
}

// a user name and a host (with an optional port); no path, query or second "@"
const HANDLE = /^@?([^@\s/?#:]+)@([a-z0-9.-]+(?::[0-9]{1,5})?)$/i;

/** Resolves `@name@host` (the leading "@" is optional) to the account its server names. */
export async function resolveAccount(lookup: AccountLookup, text: string, field = "actor"): Promise<FediverseAccount> {
  const match = HANDLE.exec(text.trim());
  if (!match)
    throw new AccountResolutionError(
      `"${text.trim().slice(0, 100)}" is not a fediverse account: write it as @name@server.example`,
      field,
    );
  const [, username, host] = match;
  const handle = `@${username}@${host.toLowerCase()}`;
  let account: FediverseAccount | undefined;
  try {
    account = await lookup(username, host.toLowerCase());
  } catch {
    account = undefined;
  }
  if (!account)
    throw new AccountResolutionError(
      `No account ${handle} was found: its server does not know it or could not be reached.`,
      field,
    );
  if (!/^https?:\/\//.test(account.iri))
    throw new AccountResolutionError(`The server of ${handle} names an actor that is not a web address.`, field);
  return account;
}

/** Whether a text is written as a handle (`@name@host`), rather than an actor IRI or a domain. */
export const isHandle = (text: string) => HANDLE.test(text.trim());

/**
 * A moderation input naming an account by its handle, with the handle replaced by the actor IRI
 * its server names (what blocks are matched against); IRIs and domains pass unchanged. A handle
 * that resolves to nothing is an AccountResolutionError (422), and nothing is blocked.
 */
export async function withActorIri<T extends { kind: "actor" | "domain"; value: string }>(
  lookup: AccountLookup | undefined,
  input: T,
): Promise<T> {
  if (input.kind !== "actor" || !isHandle(input.value)) return input;
  if (!lookup) throw new Error("This process cannot look up fediverse accounts.");
  const account = await resolveAccount(lookup, input.value, "value");
  return { ...input, value: account.iri };
}
