// Merkle tree hashing, proofs and proof verification of RFC 9162 §2.1 (SHA-256).
//
// Proofs are built from stored hashes of perfect subtrees ("nodes") instead of
// rehashing leaves: every hash a proof or root needs is a range of the tree
// that splits into at most log2(size) perfect subtrees, so any root or proof
// costs O(log² size) node reads, fetched in one batch.

import { createHash } from "node:crypto";
import { equalBytes } from "./bytes";

export type Hash = Uint8Array;

export const HASH_SIZE = 32;

/** The perfect subtree of 2^level leaves starting at leaf index × 2^level; level 0 is one leaf. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export interface TreeNode extends NodeId {
  readonly hash: Hash;
}

/** Read access to the stored perfect-subtree hashes of a log. */
export interface NodeReader {
  /** Returns the hash of each node, in order; throws if one is not stored (not yet complete). */
  nodeHashes(ids: readonly NodeId[]): Promise<Hash[]>;
}

/** A contiguous range [start, end) of leaves that forms a subtree of the RFC 9162 tree. */
type Range = readonly [start: number, end: number];

export function leafHash(data: Uint8Array): Hash {
  return createHash("sha256").update(Uint8Array.of(0x00)).update(data).digest();
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash("sha256").update(Uint8Array.of(0x01)).update(left).update(right).digest();
}

/** MTH({}) of RFC 9162 §2.1.1: the hash of an empty string. */
export const EMPTY_ROOT_HASH: Hash = createHash("sha256").digest();

/** MTH(D[size]), the root hash of the first `size` leaves. */
export async function rootHash(reader: NodeReader, size: number): Promise<Hash> {
  checkSize(size);
  if (size === 0) return EMPTY_ROOT_HASH;
  const [root] = await rangeHashes(reader, [[0, size]]);
  return root;
}

/** PATH(index, D[size]) of RFC 9162 §2.1.3.1, ordered from the leaf up. */
export async function inclusionProof(reader: NodeReader, index: number, size: number): Promise<Hash[]> {
  checkSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is outside a tree of size ${size}`);
  }
  return rangeHashes(reader, pathRanges(index, 0, size));
}

/** PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1; empty when size1 is 0 or equals size2. */
export async function consistencyProof(reader: NodeReader, size1: number, size2: number): Promise<Hash[]> {
  checkSize(size1);
  checkSize(size2);
  if (size1 > size2) throw new RangeError(`tree size ${size1} is larger than ${size2}`);
  if (size1 === 0) return [];
  return rangeHashes(reader, subproofRanges(size1, 0, size2, true));
}

/** RFC 9162 §2.1.3.2: whether `proof` shows the leaf with `hash` is leaf `index` of the tree of `size` with `root`. */
export function verifyInclusion(hash: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!isSize(index) || !isSize(size) || index >= size) return false;
  if (![hash, root, ...proof].every(isHash)) return false;
  // Sizes may exceed 2^32, so shifts are divisions: JavaScript bit operators truncate to 32 bits.
  let fn = index;
  let sn = size - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree of `size2` with `root2` extends the tree of `size1` with `root1`. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Hash[],
  root1: Hash,
  root2: Hash,
): boolean {
  if (!isSize(size1) || !isSize(size2) || size1 > size2) return false;
  if (![root1, root2, ...proof].every(isHash)) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  // Every tree extends the empty tree; RFC 9162 defines no proof for it, and an empty one carries nothing to check.
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

/**
 * The nodes to store when appending `hashes` as leaves `size`, `size + 1`, …:
 * each leaf and every perfect subtree it completes.
 */
export async function appendNodes(reader: NodeReader, size: number, hashes: readonly Hash[]): Promise<TreeNode[]> {
  checkSize(size);
  // The only older nodes a new subtree can include are the perfect subtrees
  // along the right edge of the current tree, i.e. the nodes of its root range.
  const edge = size === 0 ? [] : rangeNodes(0, size);
  const edgeHashes = await reader.nodeHashes(edge);
  const known = new Map(edge.map((id, i) => [nodeKey(id), edgeHashes[i]]));
  const added: TreeNode[] = [];
  hashes.forEach((hash, offset) => {
    let node: TreeNode = { level: 0, index: size + offset, hash };
    for (;;) {
      added.push(node);
      known.set(nodeKey(node), node.hash);
      if (node.index % 2 === 0) break;
      const left = known.get(nodeKey({ level: node.level, index: node.index - 1 }));
      if (left === undefined) throw new Error(`node ${nodeKey(node)} has no stored left sibling`);
      node = { level: node.level + 1, index: (node.index - 1) / 2, hash: nodeHash(left, node.hash) };
    }
  });
  return added;
}

/** PATH(m, D[start:end]) as the ranges whose hashes form the proof. */
function pathRanges(m: number, start: number, end: number): Range[] {
  if (end - start === 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return m < k
    ? [...pathRanges(m, start, start + k), [start + k, end]]
    : [...pathRanges(m - k, start + k, end), [start, start + k]];
}

/** SUBPROOF(m, D[start:end], b) as the ranges whose hashes form the proof. */
function subproofRanges(m: number, start: number, end: number, b: boolean): Range[] {
  if (m === end - start) return b ? [] : [[start, end]];
  const k = largestPowerOfTwoBelow(end - start);
  return m <= k
    ? [...subproofRanges(m, start, start + k, b), [start + k, end]]
    : [...subproofRanges(m - k, start + k, end, false), [start, start + k]];
}

/** MTH of each range, reading all the nodes they need in one batch. */
async function rangeHashes(reader: NodeReader, ranges: readonly Range[]): Promise<Hash[]> {
  const nodes = ranges.map(([start, end]) => rangeNodes(start, end));
  const hashes = await reader.nodeHashes(nodes.flat());
  let offset = 0;
  return nodes.map((ids) => {
    const parts = hashes.slice(offset, offset + ids.length);
    offset += ids.length;
    // A subtree's left child is its largest perfect subtree, so the root folds from the right.
    return parts.reduceRight((right, left) => nodeHash(left, right));
  });
}

/** The perfect subtrees that make up a range, largest (leftmost) first. */
function rangeNodes(start: number, end: number): NodeId[] {
  const ids: NodeId[] = [];
  let level = 0;
  while (2 ** (level + 1) <= end - start) level++;
  for (; start < end; level--) {
    const width = 2 ** level;
    if (start + width > end) continue;
    ids.push({ level, index: start / width });
    start += width;
  }
  return ids;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n === largestPowerOfTwoBelow(n + 1);
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isHash(hash: Hash): boolean {
  return hash.length === HASH_SIZE;
}

function checkSize(size: number): void {
  if (!isSize(size)) throw new RangeError(`invalid tree size ${size}`);
}

function nodeKey({ level, index }: NodeId): string {
  return `${level}/${index}`;
}
