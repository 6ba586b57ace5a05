import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A lean Mastodon-like server for operations tests and benchmarks: many accounts, actor
 * documents that can be served slowly (to keep inbox jobs in flight), signed POSTs that can
 * be prepared ahead (so RSA signing stays out of a timed window), and a count of what
 * Ensemble delivered back. Signatures are draft-cavage rsa-sha256 as in test/helpers/mastodon-peer.ts.
 */
export interface OpsPeer {
  origin: string;
  actorUrl(username: string): string;
  /** POST bodies received, by path. */
  deliveries: Array<{ path: string; body: any }>;
  /** GETs of actor documents received. */
  actorFetches: number;
  /** Delay, in ms, before an actor document is served (settable while running). */
  actorDelayMs: number;
  /** Objects (notes) this server hosts, by URL; an activity may then carry only the object's id. */
  objects: Map<string, unknown>;
  objectFetches: number;
  /** Delay, in ms, before a hosted object is served: keeps an inbox job in flight. */
  objectDelayMs: number;
  prepare(target: string, activity: { actor: string } & Record<string, unknown>): PreparedPost;
  close(): Promise<void>;
}

export interface PreparedPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const AS = "https://www.w3.org/ns/activitystreams";
const digestOf = (body: string) => `SHA-256=${createHash("sha256").update(body).digest("base64")}`;

export async function startOpsPeer(usernames: string[], options: { actorDelayMs?: number } = {}): Promise<OpsPeer> {
  // one key for every account keeps start-up cheap; each account still has its own keyId
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = publicKey.export({ type: "spki", format: "pem" });
  const known = new Set(usernames);
  let origin = "";
  const peer: OpsPeer = {
    origin: "",
    actorUrl: (u) => `${origin}/users/${u}`,
    deliveries: [],
    actorFetches: 0,
    actorDelayMs: options.actorDelayMs ?? 0,
    objects: new Map(),
    objectFetches: 0,
    objectDelayMs: 0,
    prepare: (target, activity) => prepare(privateKey, target, activity),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      peer.deliveries.push({ path: url.pathname, body });
      res.writeHead(202).end();
      return;
    }
    const object = req.method === "GET" ? peer.objects.get(`${origin}${url.pathname}`) : undefined;
    if (object) {
      peer.objectFetches++;
      if (peer.objectDelayMs) await new Promise((r) => setTimeout(r, peer.objectDelayMs));
      res
        .writeHead(200, { "content-type": "application/activity+json" })
        .end(JSON.stringify({ "@context": AS, ...(object as object) }));
      return;
    }
    const m = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && m && known.has(m[1])) {
      peer.actorFetches++;
      if (peer.actorDelayMs) await new Promise((r) => setTimeout(r, peer.actorDelayMs));
      const id = `${origin}/users/${m[1]}`;
      res.writeHead(200, { "content-type": "application/activity+json" }).end(
        JSON.stringify({
          "@context": [AS, "https://w3id.org/security/v1"],
          id,
          type: "Person",
          preferredUsername: m[1],
          inbox: `${id}/inbox`,
          endpoints: { sharedInbox: `${origin}/inbox` },
          publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pem },
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  peer.origin = origin;
  return peer;
}

function prepare(key: KeyObject, target: string, activity: { actor: string } & Record<string, unknown>): PreparedPost {
  const body = JSON.stringify({ "@context": AS, ...activity });
  const url = new URL(target);
  const headers: Record<string, string> = {
    host: url.host,
    date: new Date().toUTCString(),
    digest: digestOf(body),
    "content-type": "application/activity+json",
  };
  const names = ["(request-target)", "host", "date", "digest"];
  const signingString = names
    .map((h) => (h === "(request-target)" ? `(request-target): post ${url.pathname}` : `${h}: ${headers[h]}`))
    .join("\n");
  const signature = sign("sha256", Buffer.from(signingString), key).toString("base64");
  headers.signature = `keyId="${activity.actor}#main-key",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"`;
  return { url: url.href, headers, body };
}

export function post(p: PreparedPost, signal?: AbortSignal): Promise<Response> {
  return fetch(p.url, { method: "POST", headers: p.headers, body: p.body, signal });
}

/** A reply to a campaign's Question, as Mastodon sends it: stored and scored by Ensemble. */
export function replyCreate(peer: OpsPeer, username: string, questionId: string, n: number, text: string) {
  const actor = peer.actorUrl(username);
  const noteId = `${actor}/statuses/${n}`;
  return {
    id: `${noteId}/activity`,
    type: "Create",
    actor,
    to: `${AS}#Public`,
    object: {
      id: noteId,
      type: "Note",
      attributedTo: actor,
      inReplyTo: questionId,
      content: `<p>${text}</p>`,
      to: `${AS}#Public`,
      published: new Date().toISOString(),
    },
  };
}
