import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { MemoryNodeStore } from "../../src/transparency/memory";
import { appendNodes, leafHash, type Hash } from "../../src/transparency/merkle";

export const hex = (text: string): Uint8Array => Buffer.from(text, "hex");
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** A node store holding the tree of these leaves, built one append at a time as a log would. */
export async function treeOf(leaves: readonly Uint8Array[]): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore();
  for (const [index, leaf] of leaves.entries()) store.putNodes(await appendNodes(store, index, [leafHash(leaf)]));
  return store;
}

export function randomLeaves(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => randomBytes(i % 7));
}

/** Copies with one bit flipped in byte `at`. */
export function flip(hash: Hash, at = 0): Hash {
  const copy = Uint8Array.from(hash);
  copy[at] ^= 0x10;
  return copy;
}

export function ed25519Key(): KeyObject {
  return generateKeyPairSync("ed25519").privateKey;
}
