// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): a signed note whose
// text commits to the log's origin, tree size and root hash.

import type { KeyObject } from "node:crypto";
import { decodeBase64, encodeBase64 } from "./bytes";
import { HASH_SIZE, type Hash } from "./merkle";
import { openNote, parseVerifierKey, signNote, type NoteVerifier } from "./note";

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Hash;
  /** Opaque extra lines; the spec discourages them because monitors cannot audit them. */
  readonly extensions: readonly string[];
}

export function formatCheckpoint({ origin, size, rootHash, extensions }: Checkpoint): string {
  const lines = [origin, String(size), encodeBase64(rootHash), ...extensions];
  if (lines.some((line) => line.includes("\n"))) throw new Error("checkpoint lines cannot contain newlines");
  const text = lines.map((line) => `${line}\n`).join("");
  // Parsing what we format guarantees we never sign a checkpoint we would reject.
  parseCheckpoint(text);
  return text;
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new Error("malformed checkpoint: text must end in a newline");
  const [origin, size, root, ...extensions] = text.slice(0, -1).split("\n");
  if (root === undefined) throw new Error("malformed checkpoint: needs origin, tree size and root hash lines");
  if ([origin, ...extensions].some((line) => line === "")) throw new Error("malformed checkpoint: empty line");
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new Error(`malformed checkpoint: tree size ${JSON.stringify(size)}`);
  }
  const rootHash = decodeBase64(root);
  if (rootHash.length !== HASH_SIZE) throw new Error(`malformed checkpoint: root hash of ${rootHash.length} bytes`);
  return { origin, size: Number(size), rootHash, extensions };
}

/** Signs the checkpoint with the log's key, named after its origin as the spec recommends. */
export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): string {
  return signNote(formatCheckpoint(checkpoint), checkpoint.origin, privateKey);
}

/**
 * Verifies a signed checkpoint against the log's verifier key. The origin must
 * be the key's name: the same key vouching for another origin is another log.
 */
export function verifyCheckpoint(note: string, verifier: NoteVerifier | string): Checkpoint {
  const key = typeof verifier === "string" ? parseVerifierKey(verifier) : verifier;
  const checkpoint = parseCheckpoint(openNote(note, key));
  if (checkpoint.origin !== key.name) {
    throw new Error(`checkpoint is for log ${checkpoint.origin}, not ${key.name}`);
  }
  return checkpoint;
}
