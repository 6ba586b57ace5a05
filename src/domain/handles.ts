import { validatePublicUrl } from "@fedify/vocab-runtime";
import { z } from "zod";

/**
 * Fediverse handles (`@alice@example.social`) resolved to their actor through WebFinger
 * (RFC 7033), as Mastodon does when one searches for a handle. Roles name real accounts: a
 * handle that does not resolve is refused, so nobody is appointed by a typo.
 */

export class HandleError extends Error {}

const handleShape = /^@?([\w.-]{1,100})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/i;
const MAX_JRD_BYTES = 64 * 1024;

export interface ResolvedHandle {
  /** `alice@example.social`, as typed, without the leading @ and with the host in lowercase. */
  handle: string;
  /** The actor's IRI, from the `self` link of the WebFinger answer. */
  actor: string;
}

const jrd = z.object({
  links: z.array(z.object({ rel: z.string(), type: z.string().optional(), href: z.string().optional() })).max(100).default([]),
});

/**
 * `allowPrivateAddress` (ENSEMBLE_ALLOW_PRIVATE_ADDRESS, tests and local setups only) lets a
 * loopback server answer over plain HTTP; otherwise only public HTTPS hosts are asked.
 */
export async function resolveHandle(input: string, options: { allowPrivateAddress: boolean; timeoutMs?: number }): Promise<ResolvedHandle> {
  const m = handleShape.exec(input.trim());
  if (!m) throw new HandleError("A handle looks like @name@server.example.");
  const [, user, rawHost] = m;
  const host = rawHost.toLowerCase();
  const scheme = options.allowPrivateAddress && /^(127\.|localhost(:|$)|\[::1\])/.test(host) ? "http:" : "https:";
  const url = new URL(`${scheme}//${host}/.well-known/webfinger`);
  url.searchParams.set("resource", `acct:${user}@${host}`);
  if (!options.allowPrivateAddress) await validatePublicUrl(url.href).catch(() => {
    throw new HandleError(`${host} is not a public server.`);
  });
  let body: unknown;
  try {
    const res = await fetch(url, { headers: { accept: "application/jrd+json, application/json" }, redirect: "error", signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    if (!res.ok) throw new HandleError(`${host} does not know @${user} (WebFinger answered ${res.status}).`);
    const text = await res.text();
    if (text.length > MAX_JRD_BYTES) throw new HandleError(`${host} sent an oversized WebFinger answer.`);
    body = JSON.parse(text);
  } catch (e) {
    if (e instanceof HandleError) throw e;
    throw new HandleError(`${host} could not be reached to look up @${user}.`);
  }
  const parsed = jrd.safeParse(body);
  const self = parsed.success
    ? parsed.data.links.find((l) => l.rel === "self" && /^application\/(activity\+json|ld\+json)/.test(l.type ?? "") && l.href)
    : undefined;
  const actor = self?.href && URL.canParse(self.href) ? new URL(self.href) : undefined;
  if (!actor || (actor.protocol !== "https:" && !(options.allowPrivateAddress && actor.protocol === "http:"))) {
    throw new HandleError(`${host} gave no ActivityPub account for @${user}.`);
  }
  return { handle: `${user}@${host}`, actor: actor.href };
}
