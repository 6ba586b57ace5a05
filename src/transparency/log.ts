// The append-only log: leaves go in, signed checkpoints come out, and no
// checkpoint is signed unless it extends the last one this log signed
// (tlog-checkpoint: "A log MUST not sign any checkpoint which is inconsistent
// with any checkpoint it previously signed").

import { createPublicKey, type KeyObject } from "node:crypto";
import { signCheckpoint, verifyCheckpoint } from "./checkpoint";
import {
  appendNodes,
  consistencyProof,
  inclusionProof,
  leafHash,
  rootHash,
  verifyConsistency,
  type Hash,
  type NodeReader,
  type TreeNode,
} from "./merkle";
import { parseVerifierKey, verifierKey, type NoteVerifier } from "./note";

export interface LogStorage extends NodeReader {
  /** The number of leaves stored. */
  size(): Promise<number>;
  /**
   * Stores leaf `index` with its data and the nodes it completes, atomically.
   * Must reject with LeafConflictError unless `index` equals the current size:
   * that is what keeps concurrent writers from both appending "the next" leaf.
   */
  appendLeaf(index: number, data: Uint8Array, nodes: readonly TreeNode[]): Promise<void>;
  /** The most recently saved signed checkpoint note. */
  latestCheckpoint(): Promise<string | undefined>;
  saveCheckpoint(note: string): Promise<void>;
}

export class InconsistentCheckpointError extends Error {}

/** Another writer appended the leaf this one meant to. */
export class LeafConflictError extends Error {}

export class TransparencyLog {
  /** The verifier key string that auditors pin: `<origin>+<key ID>+<public key>`. */
  readonly verifierKey: string;
  private readonly verifier: NoteVerifier;
  // Appending reads the tree's right edge and then writes beside it, so this
  // process runs one write at a time; across processes appendLeaf's index check guards.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: LogStorage,
    readonly origin: string,
    private readonly privateKey: KeyObject,
  ) {
    this.verifierKey = verifierKey(origin, createPublicKey(privateKey));
    this.verifier = parseVerifierKey(this.verifierKey);
  }

  /**
   * Appends a leaf and returns its index. `storage` may be the log's tables seen
   * through a caller's transaction, so that the leaf commits with what it records.
   */
  append(data: Uint8Array, storage: LogStorage = this.storage): Promise<number> {
    const task = async () => {
      const index = await storage.size();
      const nodes = await appendNodes(storage, index, [leafHash(data)]);
      await storage.appendLeaf(index, data, nodes);
      return index;
    };
    // In a caller's transaction the leaf index check alone orders writers: queueing here would
    // hold that transaction's connection while a checkpoint in the queue waits for one.
    return storage === this.storage ? this.exclusive(task) : task();
  }

  /**
   * Signs and saves a checkpoint for the current tree, or returns the latest
   * one if the tree has not grown. Throws InconsistentCheckpointError if the
   * stored tree does not extend the latest signed checkpoint.
   */
  checkpoint(): Promise<string> {
    return this.exclusive(async () => {
      const size = await this.storage.size();
      const root = await rootHash(this.storage, size);
      const latest = await this.storage.latestCheckpoint();
      if (latest !== undefined) {
        // Verifying our own stored note also catches a checkpoint row that was edited or forged.
        const previous = verifyCheckpoint(latest, this.verifier);
        if (previous.size > size) {
          throw new InconsistentCheckpointError(
            `the log has ${size} entries but a checkpoint was signed at ${previous.size}`,
          );
        }
        const proof = await consistencyProof(this.storage, previous.size, size);
        if (!verifyConsistency(previous.size, size, proof, previous.rootHash, root)) {
          throw new InconsistentCheckpointError(
            `the log at ${size} entries does not extend the checkpoint signed at ${previous.size} entries`,
          );
        }
        if (previous.size === size) return latest;
      }
      const note = signCheckpoint({ origin: this.origin, size, rootHash: root, extensions: [] }, this.privateKey);
      await this.storage.saveCheckpoint(note);
      return note;
    });
  }

  inclusionProof(index: number, size: number): Promise<Hash[]> {
    return inclusionProof(this.storage, index, size);
  }

  consistencyProof(size1: number, size2: number): Promise<Hash[]> {
    return consistencyProof(this.storage, size1, size2);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
