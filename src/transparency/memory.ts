// In-memory implementations of the storage interfaces, for tests and local experiments.

import { LeafConflictError, type LogStorage } from "./log";
import type { Hash, NodeId, NodeReader, TreeNode } from "./merkle";

export class MemoryNodeStore implements NodeReader {
  /** levels[level][index] is the hash of that perfect subtree. */
  private readonly levels: Hash[][] = [];

  async nodeHashes(ids: readonly NodeId[]): Promise<Hash[]> {
    return ids.map(({ level, index }) => {
      const hash = this.levels[level]?.[index];
      if (hash === undefined) throw new RangeError(`node ${level}/${index} is not stored`);
      return hash;
    });
  }

  putNodes(nodes: readonly TreeNode[]): void {
    for (const { level, index, hash } of nodes) (this.levels[level] ??= [])[index] = hash;
  }
}

export class MemoryLogStorage extends MemoryNodeStore implements LogStorage {
  readonly leaves: Uint8Array[] = [];
  readonly checkpoints: string[] = [];

  async size(): Promise<number> {
    return this.leaves.length;
  }

  async appendLeaf(index: number, data: Uint8Array, nodes: readonly TreeNode[]): Promise<void> {
    if (index !== this.leaves.length)
      throw new LeafConflictError(`leaf ${index} cannot follow ${this.leaves.length} leaves`);
    this.leaves.push(data);
    this.putNodes(nodes);
  }

  async latestCheckpoint(): Promise<string | undefined> {
    return this.checkpoints.at(-1);
  }

  async saveCheckpoint(note: string): Promise<void> {
    this.checkpoints.push(note);
  }
}
