// Signed documents: the canonical JSON of a document is both the JWS payload
// and the log leaf, so an auditor holding the JWS can recompute the leaf hash.

import { createPublicKey, type KeyObject } from "node:crypto";
import {
  calculateJwkThumbprint,
  CompactSign,
  compactVerify,
  createLocalJWKSet,
  exportJWK,
  type JSONWebKeySet,
} from "jose";
import { equalBytes } from "./bytes";
import { canonicalize } from "./canonical";

const ALGORITHM = "EdDSA";

/** A document published verifiably; `type` says what it records, so leaves of different kinds never collide. */
export interface RecordDocument {
  readonly type: string;
  readonly [member: string]: unknown;
}

export interface VerifiedDocument {
  readonly document: RecordDocument;
  /** The signed payload, which is the document's log leaf data. */
  readonly leafData: Uint8Array;
  /** The key that signed it. */
  readonly kid: string;
}

/** The log leaf data of a document: the UTF-8 bytes of its RFC 8785 canonical JSON. */
export function leafData(document: RecordDocument): Uint8Array {
  if (typeof document.type !== "string" || document.type === "") throw new TypeError("document needs a type");
  return new TextEncoder().encode(canonicalize(document));
}

/** The `kid` of an Ed25519 public key: its RFC 7638 JWK thumbprint. */
export function jwkKeyId(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(publicKey);
}

/** The JWKS to publish for these public keys (keep retired keys so older documents still verify). */
export async function publicJwks(publicKeys: readonly KeyObject[]): Promise<JSONWebKeySet> {
  const keys = await Promise.all(
    publicKeys.map(async (key) => ({
      ...(await exportJWK(key)),
      kid: await jwkKeyId(key),
      alg: ALGORITHM,
      use: "sig",
    })),
  );
  return { keys };
}

/** Signs a document as a compact JWS whose payload is its canonical JSON. */
export async function signDocument(document: RecordDocument, privateKey: KeyObject): Promise<string> {
  const kid = await jwkKeyId(createPublicKey(privateKey));
  return new CompactSign(leafData(document)).setProtectedHeader({ alg: ALGORITHM, kid }).sign(privateKey);
}

/**
 * Verifies a compact JWS against a JWKS and returns the document. Rejects
 * payloads that are not canonical JSON: the leaf must be recomputable from the document.
 */
export async function verifyDocument(jws: string, jwks: JSONWebKeySet): Promise<VerifiedDocument> {
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: [ALGORITHM] });
  if (protectedHeader.kid === undefined) throw new Error("JWS header names no key (kid)");
  const document: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  if (!isRecordDocument(document)) throw new Error("payload is not a document with a type");
  if (!equalBytes(leafData(document), payload)) throw new Error("payload is not canonical JSON");
  return { document, leafData: payload, kid: protectedHeader.kid };
}

function isRecordDocument(value: unknown): value is RecordDocument {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
