import { createHash, timingSafeEqual, verify, type KeyObject } from "node:crypto";

/**
 * Verifies the common form of a draft-cavage HTTP Signature (draft-cavage-http-signatures-12,
 * as Mastodon, Misskey and Pleroma sign a POST) with a key already in hand: rsa-sha256 over
 * `(request-target) host date digest` at least, a `Digest` that matches the body, a `Date`
 * within the window Fedify allows. Anything else (`created`/`expires`, other algorithms, a
 * missing header) is not refused here but left to Fedify's verification: only a signature this
 * code fully checks lets an activity skip it.
 */

/** Fedify's default `signatureTimeWindow` for draft-cavage `Date`, which Ensemble keeps. */
export const SIGNATURE_TIME_WINDOW_MS = 60 * 60_000;

const REQUIRED = ["(request-target)", "host", "date", "digest"];
const DIGESTS: Record<string, string> = { "sha-256": "sha256", "sha-512": "sha512" };

export interface CavageSignature {
  keyId: string;
  headers: string[];
  signature: Buffer;
}

/** The `Signature` header's parameters, or null when it is not the plain RSA form this file checks. */
export function parseCavage(header: string): CavageSignature | null {
  const params = new Map<string, string>();
  for (const pair of header.split(",")) {
    const m = /^\s*([A-Za-z]+)="([^"]*)"\s*$/.exec(pair);
    if (!m || params.has(m[1])) return null;
    params.set(m[1], m[2]);
  }
  const keyId = params.get("keyId");
  const headers = params.get("headers")?.toLowerCase().split(/\s+/).filter(Boolean);
  const signature = params.get("signature");
  const algorithm = params.get("algorithm") ?? "rsa-sha256";
  const known = new Set(["keyId", "headers", "signature", "algorithm"]);
  if (!keyId || !headers || !signature || [...params.keys()].some((k) => !known.has(k))) return null;
  if (algorithm !== "rsa-sha256" && algorithm !== "hs2019") return null;
  if (!REQUIRED.every((h) => headers.includes(h))) return null;
  if (headers.some((h) => h.startsWith("(") && h !== "(request-target)")) return null;
  return { keyId, headers, signature: Buffer.from(signature, "base64") };
}

/** Whether every digest the request states (of the algorithms known here, at least one) matches the body. */
export function digestMatches(header: string | null, body: Uint8Array): boolean {
  if (!header) return false;
  let matched = false;
  for (const entry of header.split(",")) {
    const at = entry.indexOf("=");
    const algorithm = DIGESTS[entry.slice(0, at).trim().toLowerCase()];
    if (at < 0 || !algorithm) continue;
    const stated = Buffer.from(entry.slice(at + 1).trim(), "base64");
    const actual = createHash(algorithm).update(body).digest();
    if (stated.length !== actual.length || !timingSafeEqual(stated, actual)) return false;
    matched = true;
  }
  return matched;
}

/** Whether the request's `Date` is within the window around `now`. */
export function dateIsFresh(header: string | null, now = Date.now()): boolean {
  const at = header ? new Date(header).getTime() : Number.NaN;
  return !Number.isNaN(at) && Math.abs(now - at) <= SIGNATURE_TIME_WINDOW_MS;
}

/** The string the sender signed, or null when a signed header is absent. */
export function signingString(
  names: readonly string[],
  method: string,
  target: string,
  headers: Headers,
): string | null {
  const lines: string[] = [];
  for (const name of names) {
    if (name === "(request-target)") lines.push(`(request-target): ${method.toLowerCase()} ${target}`);
    else {
      const value = headers.get(name);
      if (value === null) return null;
      lines.push(`${name}: ${value}`);
    }
  }
  return lines.join("\n");
}

/** Whether the request is signed by `key` over its target, headers and (through `Digest`) its body. */
export function verifiesWith(
  signature: CavageSignature,
  key: KeyObject,
  request: { method: string; target: string; headers: Headers; body: Uint8Array },
  now = Date.now(),
): boolean {
  if (!digestMatches(request.headers.get("digest"), request.body)) return false;
  if (!dateIsFresh(request.headers.get("date"), now)) return false;
  const signed = signingString(signature.headers, request.method, request.target, request.headers);
  return signed !== null && verify("sha256", Buffer.from(signed), key, signature.signature);
}
