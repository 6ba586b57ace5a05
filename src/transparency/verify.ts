// What an auditor checks about one published document, from data it fetched
// itself: the document's signature, the log's checkpoint, the document's place
// in that log, and that the log still extends the checkpoint the auditor pinned
// earlier. Every check is reported, in words, pass or fail.

import type { JSONWebKeySet } from "jose";
import { verifyCheckpoint, type Checkpoint } from "./checkpoint";
import { verifyDocument, type VerifiedDocument } from "./jws";
import { leafHash, verifyConsistency, verifyInclusion, type Hash } from "./merkle";

export interface AuditInput {
  /** The document as served: a compact JWS. */
  readonly jws: string;
  /** The server's published keys for documents. */
  readonly jwks: JSONWebKeySet;
  /** The server's proof that the document is a leaf of the log at the checkpoint's size. */
  readonly inclusion: { readonly leafIndex: number; readonly treeSize: number; readonly proof: readonly Hash[] };
  /** The server's latest signed checkpoint. */
  readonly checkpoint: string;
  /** The log's verifier key, `<origin>+<key ID>+<public key>`. */
  readonly verifierKey: string;
  /** A checkpoint the auditor saved earlier, with the server's consistency proof from it to `checkpoint`. */
  readonly pinned?: { readonly checkpoint: string; readonly consistencyProof: readonly Hash[] };
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export async function audit(input: AuditInput): Promise<Check[]> {
  const checks: Check[] = [];
  const document = await attempt(() => verifyDocument(input.jws, input.jwks));
  checks.push(
    document instanceof Error
      ? fail("document signature", `signature invalid: ${document.message}`)
      : pass("document signature", `signature valid with key ${document.kid}`),
  );
  const checkpoint = await attempt(async () => verifyCheckpoint(input.checkpoint, input.verifierKey));
  checks.push(
    checkpoint instanceof Error
      ? fail("log checkpoint", `checkpoint rejected: ${checkpoint.message}`)
      : pass(
          "log checkpoint",
          `checkpoint of ${checkpoint.origin} at ${entries(checkpoint.size)} is signed by its key`,
        ),
  );
  checks.push(inclusionCheck(input.inclusion, document, checkpoint));
  if (input.pinned !== undefined) checks.push(await consistencyCheck(input, input.pinned, checkpoint));
  return checks;
}

function inclusionCheck(
  { leafIndex, treeSize, proof }: AuditInput["inclusion"],
  document: VerifiedDocument | Error,
  checkpoint: Checkpoint | Error,
): Check {
  const name = "inclusion in the log";
  if (document instanceof Error || checkpoint instanceof Error) {
    return fail(name, "not checked: needs a validly signed document and checkpoint");
  }
  if (treeSize !== checkpoint.size) {
    return fail(
      name,
      `the proof is for a log of ${entries(treeSize)}, but the checkpoint is at ${entries(checkpoint.size)}`,
    );
  }
  return verifyInclusion(leafHash(document.leafData), leafIndex, treeSize, proof, checkpoint.rootHash)
    ? pass(name, `document is leaf ${leafIndex} of the log of ${entries(treeSize)}`)
    : fail(
        name,
        `document is not leaf ${leafIndex} of the log of ${entries(treeSize)}: the proof does not lead to the checkpoint's root hash`,
      );
}

async function consistencyCheck(
  input: AuditInput,
  pinnedInput: NonNullable<AuditInput["pinned"]>,
  checkpoint: Checkpoint | Error,
): Promise<Check> {
  const name = "consistency with the pinned checkpoint";
  const pinned = await attempt(async () => verifyCheckpoint(pinnedInput.checkpoint, input.verifierKey));
  if (pinned instanceof Error) return fail(name, `pinned checkpoint rejected: ${pinned.message}`);
  if (checkpoint instanceof Error) return fail(name, "not checked: needs a validly signed checkpoint");
  const [now, then] = [entries(checkpoint.size), entries(pinned.size)];
  if (checkpoint.size < pinned.size) {
    return fail(
      name,
      `the log at ${now} is smaller than the checkpoint you pinned at ${then}: it was rolled back or forked`,
    );
  }
  return verifyConsistency(
    pinned.size,
    checkpoint.size,
    pinnedInput.consistencyProof,
    pinned.rootHash,
    checkpoint.rootHash,
  )
    ? pass(name, `the log at ${now} extends the checkpoint you pinned at ${then}`)
    : fail(
        name,
        `the log at ${now} does not extend the checkpoint you pinned at ${then}: its history was rewritten or forked`,
      );
}

async function attempt<T>(run: () => Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function entries(size: number): string {
  return size === 1 ? "1 entry" : `${size} entries`;
}

function pass(name: string, detail: string): Check {
  return { name, ok: true, detail };
}

function fail(name: string, detail: string): Check {
  return { name, ok: false, detail };
}
