// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures, and
// the verifier key encoding of golang.org/x/mod/sumdb/note that tlog tooling
// uses to configure trusted keys: <name>+<hex key ID>+<base64(0x01 || public key)>.

import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { decodeBase64, encodeBase64 } from "./bytes";

const ED25519_TYPE = 0x01;
const ED25519_SIGNATURE_SIZE = 64;
// The spec asks verifiers to cap the number of signatures but accept at least 16.
const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = "— ";

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: KeyObject;
}

/** SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4], as a big-endian uint32. */
export function noteKeyId(name: string, publicKey: KeyObject): number {
  return createHash("sha256")
    .update(`${name}\n`)
    .update(Uint8Array.of(ED25519_TYPE))
    .update(rawPublicKey(publicKey))
    .digest()
    .readUInt32BE(0);
}

/** The verifier key string that clients pin to trust notes signed by `name` with this key. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  checkKeyName(name);
  const key = encodeBase64(Buffer.concat([Uint8Array.of(ED25519_TYPE), rawPublicKey(publicKey)]));
  return `${name}+${hexKeyId(noteKeyId(name, publicKey))}+${key}`;
}

export function parseVerifierKey(text: string): NoteVerifier {
  // Names cannot contain "+" but base64 can, so only the first two separate fields.
  const match = /^([^+]*)\+([0-9a-f]{8})\+(.*)$/s.exec(text);
  if (match === null) throw new Error(`malformed verifier key: ${text}`);
  const [, name, id, key] = match;
  checkKeyName(name);
  const bytes = decodeBase64(key);
  if (bytes.length !== 33 || bytes[0] !== ED25519_TYPE) throw new Error(`not an Ed25519 verifier key: ${text}`);
  const publicKey = createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes.subarray(1)).toString("base64url") },
    format: "jwk",
  });
  const keyId = noteKeyId(name, publicKey);
  if (hexKeyId(keyId) !== id) throw new Error(`verifier key ID ${id} does not match its key`);
  return { name, keyId, publicKey };
}

/** Signs `text` (which must end in a newline) as a note with one signature by `name`. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  checkKeyName(name);
  checkText(text);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(noteKeyId(name, createPublicKey(privateKey)));
  const signature = sign(null, Buffer.from(text), privateKey);
  return `${text}\n${SIGNATURE_PREFIX}${name} ${encodeBase64(Buffer.concat([id, signature]))}\n`;
}

/**
 * Returns the text of `note` once a signature by `verifier` checks out. Other
 * signatures are ignored, as the spec requires (witnesses, rotated keys).
 */
export function openNote(note: string, verifier: NoteVerifier): string {
  // The text ends at the last blank line; the text itself may contain blank lines.
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Error("malformed note: no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  checkText(text);
  if (!block.endsWith("\n") || /[\u0000-\u0009\u000b-\u001f]/.test(block)) {
    throw new Error("malformed note: signature lines must end in a newline");
  }
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new Error(`malformed note: more than ${MAX_SIGNATURES} signatures`);

  let verified = false;
  for (const line of lines) {
    const { name, keyId, signature } = parseSignatureLine(line);
    if (name !== verifier.name || keyId !== verifier.keyId) continue;
    if (
      signature.length !== ED25519_SIGNATURE_SIZE ||
      !verify(null, Buffer.from(text), verifier.publicKey, signature)
    ) {
      throw new Error(`signature by ${name}+${hexKeyId(keyId)} does not verify`);
    }
    verified = true;
  }
  if (!verified) throw new Error(`note has no signature by ${verifier.name}+${hexKeyId(verifier.keyId)}`);
  return text;
}

function parseSignatureLine(line: string): { name: string; keyId: number; signature: Uint8Array } {
  const space = line.indexOf(" ", SIGNATURE_PREFIX.length);
  if (!line.startsWith(SIGNATURE_PREFIX) || space < 0) throw new Error(`malformed signature line: ${line}`);
  const name = line.slice(SIGNATURE_PREFIX.length, space);
  checkKeyName(name);
  const bytes = Buffer.from(decodeBase64(line.slice(space + 1)));
  if (bytes.length < 5) throw new Error(`malformed signature line: ${line}`);
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

function checkKeyName(name: string): void {
  if (name === "" || /[\s+]/u.test(name)) throw new Error(`invalid key name: ${JSON.stringify(name)}`);
}

function checkText(text: string): void {
  if (!text.endsWith("\n")) throw new Error("malformed note: text must end in a newline");
  if (/\p{Cs}|[\u0000-\u0009\u000b-\u001f]/u.test(text)) {
    throw new Error("malformed note: text must be UTF-8 without control characters other than newline");
  }
}

function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const { crv, x } = publicKey.export({ format: "jwk" });
  if (crv !== "Ed25519" || x === undefined) throw new Error("signed notes here use Ed25519 keys");
  return Buffer.from(x, "base64url");
}

function hexKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, "0");
}
