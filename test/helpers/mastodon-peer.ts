import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A remote fediverse server played in-test, written from the HTTP Signatures draft as
 * Mastodon implements it (draft-cavage, rsa-sha256), independently of Fedify, so the tests
 * check interoperability rather than Fedify against itself.
 *
 * The one signing peer of the project: tests, the operations tests, the benchmarks (bench/) and
 * the demo (scripts/) all use it. It imports nothing from src/, so any program can host it.
 * For load (many accounts, requests signed ahead of a timed window) it has `sharedKey`,
 * `cacheKeys` and `prepare`; for slow remote servers, `actorDelayMs` and hosted `objects`.
 */
export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: any;
  /** The signature checked out against the key its keyId points at, and the digest matched. */
  verified: boolean;
  keyId?: string;
}

export interface PeerOptions {
  /** Like Mastodon's AUTHORIZED_FETCH: unsigned GETs of actors get 401. */
  authorizedFetch?: boolean;
  /** Accounts this server hosts (default: alice). */
  usernames?: string[];
  /** A key's self-declared `owner` per username, instead of the account itself (a forger's key document). */
  keyOwners?: Record<string, string>;
  /** Stand-alone key documents served at /keys/<name>, listed by no actor, each naming `owner` (an IRI, or a username here). */
  loneKeys?: Record<string, { owner: string }>;
  /** The software this server names in its NodeInfo (`software.name`); none served when absent. */
  software?: string;
  /** Display names (`name`) of some accounts; the others are named after their username. */
  displayNames?: Record<string, string>;
  /**
   * One RSA key for every account (each still has its own keyId): start-up stays cheap with
   * hundreds of accounts, where generating a key each would take seconds.
   */
  sharedKey?: boolean;
  /**
   * Keep the keys it verifies deliveries and signed GETs with, as Mastodon does, instead of
   * fetching the signer's key for every request (which would double a server's GETs under load).
   */
  cacheKeys?: boolean;
  /** Delay, in ms, before an actor document is served (also settable while running). */
  actorDelayMs?: number;
}

export interface Peer {
  origin: string;
  host: string;
  actorUrl(username?: string): string;
  deliveries: Delivery[];
  /** GETs that arrived, with whether they were signed. */
  fetches: Array<{ path: string; signed: boolean }>;
  signedPost(url: string, activity: unknown, opts?: SignOptions): Promise<Response>;
  /** Signs a POST without sending it (send it with `post`): keeps RSA signing out of a timed window. */
  prepare(url: string, activity: unknown, opts?: SignOptions): PreparedPost;
  /** GETs of this server's actor documents answered. */
  actorFetches: number;
  /** Delay, in ms, before an actor document is served. */
  actorDelayMs: number;
  /** Objects (notes) this server hosts, by URL; an activity may then carry only the object's id. */
  objects: Map<string, unknown>;
  objectFetches: number;
  /** Delay, in ms, before a hosted object is served: keeps an inbox job in flight. */
  objectDelayMs: number;
  /** From now on the account's actor document answers 410 Gone, as Mastodon's do after deletion. */
  markGone(username: string): void;
  waitForDelivery(predicate: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

export interface SignOptions {
  username?: string;
  date?: Date;
  /** Sign with this key instead of the account's own (a forged signature). */
  privateKey?: KeyObject;
  /** Tamper with the body after signing. */
  bodyOverride?: string;
  /** Sign a `Digest` header of this instead of the body's. */
  digestOf?: string;
  contentType?: string;
  /** Sign with the lone key of this name (served at /keys/<name>) instead of an account's key. */
  loneKey?: string;
}

/** A signed POST, ready to send. */
export interface PreparedPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function post(p: PreparedPost, signal?: AbortSignal): Promise<Response> {
  return fetch(p.url, { method: "POST", headers: p.headers, body: p.body, signal });
}

const AS = "https://www.w3.org/ns/activitystreams";

/** A reply to a campaign's Question (or any note), as Mastodon sends it: public, one paragraph. */
export function replyCreate(
  peer: Pick<Peer, "actorUrl">,
  username: string,
  inReplyTo: string,
  n: number,
  text: string,
) {
  const actor = peer.actorUrl(username);
  const noteId = `${actor}/statuses/${n}`;
  return {
    "@context": AS,
    id: `${noteId}/activity`,
    type: "Create",
    actor,
    to: `${AS}#Public`,
    object: {
      id: noteId,
      type: "Note",
      attributedTo: actor,
      inReplyTo,
      content: `<p>${text}</p>`,
      to: `${AS}#Public`,
      published: new Date().toISOString(),
    },
  };
}

const digestOf = (body: string | Buffer) => `SHA-256=${createHash("sha256").update(body).digest("base64")}`;

function signingString(headerNames: string[], method: string, path: string, headers: Record<string, string>): string {
  return headerNames
    .map((h) =>
      h === "(request-target)" ? `(request-target): ${method.toLowerCase()} ${path}` : `${h}: ${headers[h]}`,
    )
    .join("\n");
}

function parseSignature(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") h[k] = v;
  return h;
}

/** Verifies a draft-cavage signature the way Mastodon does: fetch the key (or take it from `keys`), rebuild the string, check. */
export async function verifyCavage(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  keys?: Map<string, Promise<unknown>>,
): Promise<{ ok: boolean; keyId?: string }> {
  if (!headers.signature) return { ok: false };
  const sig = parseSignature(headers.signature);
  // not a draft-cavage signature (e.g. an RFC 9421 one after a retry): Mastodon rejects it too
  if (!sig.keyId || !sig.signature) return { ok: false };
  if (body && headers.digest !== digestOf(body)) return { ok: false, keyId: sig.keyId };
  const fetchKey = async () => {
    try {
      const res = await fetch(sig.keyId, { headers: { accept: "application/activity+json" } });
      return res.ok ? await res.json() : undefined;
    } catch {
      return undefined; // the signer's server is unreachable: the signature cannot be checked
    }
  };
  let pending = keys?.get(sig.keyId);
  if (!pending) {
    pending = fetchKey();
    keys?.set(sig.keyId, pending);
  }
  const doc = (await pending) as any;
  if (!doc) {
    keys?.delete(sig.keyId); // a failed fetch is not kept: the next request tries again
    return { ok: false, keyId: sig.keyId };
  }
  const key = doc.publicKey?.id === sig.keyId ? doc.publicKey : doc.id === sig.keyId ? doc : undefined;
  if (!key?.publicKeyPem) return { ok: false, keyId: sig.keyId };
  const names = (sig.headers ?? "date").split(" ");
  const ok = verify(
    "sha256",
    Buffer.from(signingString(names, method, path, headers)),
    createPublicKey(key.publicKeyPem),
    Buffer.from(sig.signature, "base64"),
  );
  return { ok, keyId: sig.keyId };
}

export async function startPeer(options: PeerOptions = {}): Promise<Peer> {
  const usernames = options.usernames ?? ["alice"];
  const shared = options.sharedKey ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : undefined;
  const keys = new Map(usernames.map((u) => [u, shared ?? generateKeyPairSync("rsa", { modulusLength: 2048 })]));
  const keyCache = options.cacheKeys ? new Map<string, Promise<unknown>>() : undefined;
  const loneKeys = new Map(
    Object.keys(options.loneKeys ?? {}).map((k) => [k, generateKeyPairSync("rsa", { modulusLength: 2048 })]),
  );
  const gone = new Set<string>();
  const deliveries: Delivery[] = [];
  const fetches: Peer["fetches"] = [];
  const waiters: Array<() => void> = [];
  const objects = new Map<string, unknown>();
  let origin = "";

  const actor = (u: string) => ({
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id: `${origin}/users/${u}`,
    type: "Person",
    preferredUsername: u,
    name: options.displayNames?.[u] ?? u,
    inbox: `${origin}/users/${u}/inbox`,
    outbox: `${origin}/users/${u}/outbox`,
    followers: `${origin}/users/${u}/followers`,
    endpoints: { sharedInbox: `${origin}/inbox` },
    publicKey: {
      id: `${origin}/users/${u}#main-key`,
      owner: options.keyOwners?.[u] ?? `${origin}/users/${u}`,
      publicKeyPem: keys.get(u)!.publicKey.export({ type: "spki", format: "pem" }),
    },
  });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const headers = flatHeaders(req);
    if (req.method === "GET") {
      const signed = headers.signature
        ? (await verifyCavage("GET", url.pathname, headers, undefined, keyCache)).ok
        : false;
      fetches.push({ path: url.pathname, signed });
      const object = objects.get(`${origin}${url.pathname}`);
      if (object) {
        peer.objectFetches++;
        if (peer.objectDelayMs) await new Promise((r) => setTimeout(r, peer.objectDelayMs));
        res
          .writeHead(200, { "content-type": "application/activity+json" })
          .end(JSON.stringify({ "@context": AS, ...(object as object) }));
        return;
      }
      const m = /^\/users\/([^/]+)$/.exec(url.pathname);
      if (m && gone.has(m[1])) {
        res.writeHead(410).end();
        return;
      }
      const lone = /^\/keys\/([^/]+)$/.exec(url.pathname);
      if (lone && loneKeys.has(lone[1])) {
        const key = {
          "@context": "https://w3id.org/security/v1",
          id: `${origin}/keys/${lone[1]}`,
          type: "Key",
          owner: new URL(options.loneKeys![lone[1]].owner, `${origin}/users/`).href,
          publicKeyPem: loneKeys.get(lone[1])!.publicKey.export({ type: "spki", format: "pem" }),
        };
        res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(key));
        return;
      }
      if (m && keys.has(m[1])) {
        if (options.authorizedFetch && !signed) {
          res.writeHead(401).end();
          return;
        }
        peer.actorFetches++;
        if (peer.actorDelayMs) await new Promise((r) => setTimeout(r, peer.actorDelayMs));
        res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(actor(m[1])));
        return;
      }
      if (options.software && url.pathname === "/.well-known/nodeinfo") {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: `${origin}/nodeinfo/2.1` }],
          }),
        );
        return;
      }
      if (options.software && url.pathname === "/nodeinfo/2.1") {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            version: "2.1",
            software: { name: options.software, version: "1.0.0" },
            protocols: ["activitypub"],
            usage: { users: {} },
            openRegistrations: false,
          }),
        );
        return;
      }
      if (url.pathname === "/.well-known/webfinger") {
        const u = /^acct:([^@]+)@/.exec(url.searchParams.get("resource") ?? "")?.[1];
        if (u && keys.has(u)) {
          res.writeHead(200, { "content-type": "application/jrd+json" }).end(
            JSON.stringify({
              subject: `acct:${u}@${new URL(origin).host}`,
              links: [{ rel: "self", type: "application/activity+json", href: `${origin}/users/${u}` }],
            }),
          );
          return;
        }
      }
      res.writeHead(404).end();
      return;
    }
    if (req.method === "POST") {
      const body = await readBody(req);
      const { ok, keyId } = await verifyCavage("POST", url.pathname, headers, body, keyCache);
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        json = undefined;
      }
      deliveries.push({ path: url.pathname, headers, body: json, verified: ok, keyId });
      for (const w of waiters.splice(0)) w();
      res.writeHead(ok ? 202 : 401).end();
      return;
    }
    res.writeHead(405).end();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const peer: Peer = {
    origin,
    host: new URL(origin).host,
    actorUrl: (u = usernames[0]) => `${origin}/users/${u}`,
    deliveries,
    fetches,
    actorFetches: 0,
    actorDelayMs: options.actorDelayMs ?? 0,
    objects,
    objectFetches: 0,
    objectDelayMs: 0,
    signedPost: (target, activity, opts = {}) => {
      const p = peer.prepare(target, activity, opts);
      return fetch(p.url, { method: "POST", headers: p.headers, body: opts.bodyOverride ?? p.body });
    },
    prepare(target, activity, opts = {}) {
      const u = opts.username ?? usernames[0];
      const body = JSON.stringify(activity);
      const url = new URL(target);
      const headers: Record<string, string> = {
        host: url.host,
        date: (opts.date ?? new Date()).toUTCString(),
        digest: digestOf(opts.digestOf ?? body),
        "content-type": opts.contentType ?? "application/activity+json",
      };
      const names = ["(request-target)", "host", "date", "digest"];
      const signature = sign(
        "sha256",
        Buffer.from(signingString(names, "POST", url.pathname, headers)),
        opts.privateKey ?? (opts.loneKey ? loneKeys.get(opts.loneKey)! : keys.get(u)!).privateKey,
      ).toString("base64");
      const keyId = opts.loneKey ? `${origin}/keys/${opts.loneKey}` : `${origin}/users/${u}#main-key`;
      headers.signature = `keyId="${keyId}",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"`;
      return { url: url.href, headers, body };
    },
    markGone: (u) => void gone.add(u),
    async waitForDelivery(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = deliveries.find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching delivery; got ${JSON.stringify(deliveries.map((d) => d.body?.type))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, Math.min(left, 200));
        });
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return peer;
}
