import type { Context } from "@fedify/fedify";
import type { Services } from "./services";

/** `@user@host` or `user@host`, as people write fediverse accounts. */
const HANDLE = /^@?([^@\s/]+)@([^@\s/]+)$/;

export const isHandle = (value: string) => HANDLE.test(value.trim());

const WEBFINGER_TIMEOUT_MS = 10_000;

/**
 * The actor IRI a handle names, read from the host's WebFinger (RFC 7033) `self` link, or null
 * when the host does not resolve it. Over https; plain http only when ENSEMBLE_ALLOW_PRIVATE_ADDRESS
 * is on and the host is a loopback address (local peers in development and tests).
 */
export async function resolveHandle(ctx: Context<Services>, handle: string): Promise<URL | null> {
  const [, user, host] = HANDLE.exec(handle.trim()) ?? [];
  if (!user || !host || !URL.canParse(`https://${host}`)) return null;
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
  const scheme = ctx.data.config.allowPrivateAddress && loopback ? "http" : "https";
  const url = new URL(`${scheme}://${host}/.well-known/webfinger`);
  url.searchParams.set("resource", `acct:${user}@${host}`);
  try {
    const res = await fetch(url, { headers: { accept: "application/jrd+json" }, redirect: "error", signal: AbortSignal.timeout(WEBFINGER_TIMEOUT_MS) });
    if (!res.ok) return null;
    const jrd = (await res.json()) as { links?: Array<{ rel?: string; type?: string; href?: string }> };
    const self = jrd.links?.find((l) => l.rel === "self" && /^application\/(activity|ld)\+json/.test(l.type ?? ""));
    if (!self?.href || !URL.canParse(self.href)) return null;
    const iri = new URL(self.href);
    return iri.protocol === "https:" || iri.protocol === "http:" ? iri : null;
  } catch {
    return null;
  }
}
