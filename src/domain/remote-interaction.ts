// Joining from one's own server: the visitor types their server (or handle), and lands on that
// server's page for interacting with a remote object. Everything typed here is hostile input.

/** A visitor's server, and their account there when they typed a handle. */
export interface RemoteAccount {
  host: string;
  username?: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * `mastodon.social`, `@me@mastodon.social`, `me@mastodon.social` or a pasted
 * `https://mastodon.social/` become a host name (IDN as punycode, lowercase) and maybe a
 * username; anything else (paths, credentials, ports, spaces, single labels) is refused.
 * `allowPort` admits `host:port`, for development servers on loopback only.
 */
export function parseRemoteAccount(input: string, opts: { allowPort?: boolean } = {}): RemoteAccount | undefined {
  let text = input.trim();
  if (text.length === 0 || text.length > 300) return undefined;
  text = text.replace(/^https?:\/\//i, "").replace(/\/$/, "");
  let username: string | undefined;
  const at = /^@?([^@]+)@([^@]+)$/.exec(text);
  if (at) {
    if (!USERNAME.test(at[1])) return undefined;
    username = at[1];
    text = at[2];
  } else if (text.includes("@")) return undefined;
  if (/[^\p{L}\p{N}.:-]/u.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${text}`);
  } catch {
    return undefined;
  }
  if (url.port && !opts.allowPort) return undefined;
  const labels = url.hostname.split(".");
  if (url.hostname.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  return { host: url.host, username };
}

/**
 * Where the visitor's server lets them interact with `objectUri`: its WebFinger subscribe
 * template (`http://ostatus.org/schema/1.0/subscribe`) when it gave a web address, else
 * Mastodon's `/authorize_interaction`, which several other servers answer too.
 */
export function interactionUrl(
  account: RemoteAccount,
  objectUri: string,
  template: string | undefined,
  scheme = "https",
): string {
  if (template?.includes("{uri}")) {
    try {
      const url = new URL(template.replace("{uri}", encodeURIComponent(objectUri)));
      if (url.protocol === "https:" || url.protocol === `${scheme}:`) return url.href;
    } catch {
      // a template that is not a URL: fall back
    }
  }
  const url = new URL(`${scheme}://${account.host}/authorize_interaction`);
  url.searchParams.set("uri", objectUri);
  return url.href;
}
