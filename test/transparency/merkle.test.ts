import { describe, expect, it } from "vitest";
import { MemoryNodeStore } from "../../src/transparency/memory";
import {
  appendNodes,
  consistencyProof,
  EMPTY_ROOT_HASH,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeId,
  type NodeReader,
} from "../../src/transparency/merkle";
import { flip, hex, randomLeaves, toHex, treeOf } from "./helpers";

// The RFC 6962 reference tree used by transparency-dev/merkle (testonly/constants.go,
// proof/verify_test.go) and google/certificate-transparency.
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
  hex,
);

const ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

// NODES[level][index]: every perfect subtree of the 8-leaf tree.
const NODES = [
  [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
  ],
  [
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  ],
  [
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ],
  ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

// Leaf indexes are 0-based here; the Go vectors number leaves from 1.
const INCLUSION = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

const CONSISTENCY = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

const SOME_HASH = hex("abacaba000000000000000000000000000000000000000000060061e00123456");

// Straight transcriptions of the recursive definitions of RFC 9162 §2.1,
// computed from the leaves, to check the node-based implementation against.
function referenceRoot(leaves: readonly Uint8Array[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT_HASH;
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = splitPoint(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function referencePath(m: number, leaves: readonly Uint8Array[]): Hash[] {
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return m < k
    ? [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

function referenceSubproof(m: number, leaves: readonly Uint8Array[], b: boolean): Hash[] {
  if (m === leaves.length) return b ? [] : [referenceRoot(leaves)];
  const k = splitPoint(leaves.length);
  return m <= k
    ? [...referenceSubproof(m, leaves.slice(0, k), b), referenceRoot(leaves.slice(k))]
    : [...referenceSubproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const hexes = (hashes: readonly Hash[]) => hashes.map(toHex);

describe("RFC 6962 reference tree", () => {
  it("has the published root hash at every size", async () => {
    const tree = await treeOf(LEAVES);
    for (let size = 0; size <= LEAVES.length; size++) {
      expect(toHex(await rootHash(tree, size)), `size ${size}`).toBe(ROOTS[size]);
    }
  });

  it("stores the published hash of every perfect subtree, whether leaves arrive one by one or in a batch", async () => {
    const ids: NodeId[] = NODES.flatMap((hashes, level) => hashes.map((_, index) => ({ level, index })));
    const oneByOne = await treeOf(LEAVES);
    const batch = new MemoryNodeStore();
    batch.putNodes(await appendNodes(batch, 0, LEAVES.slice(0, 3).map(leafHash)));
    batch.putNodes(await appendNodes(batch, 3, LEAVES.slice(3).map(leafHash)));
    for (const store of [oneByOne, batch]) expect(hexes(await store.nodeHashes(ids))).toEqual(NODES.flat());
  });

  it.each(INCLUSION)("builds and verifies the published inclusion proof of leaf $index in size $size", async (v) => {
    const tree = await treeOf(LEAVES);
    const proof = await inclusionProof(tree, v.index, v.size);
    expect(hexes(proof)).toEqual(v.proof);
    expect(verifyInclusion(leafHash(LEAVES[v.index]), v.index, v.size, proof, hex(ROOTS[v.size]))).toBe(true);
  });

  it.each(INCLUSION.filter((v) => v.proof.length > 0))(
    "rejects corrupted inclusion proofs of leaf $index in size $size",
    ({ index, size, proof: hexProof }) => {
      const proof = hexProof.map(hex);
      const root = hex(ROOTS[size]);
      const leaf = leafHash(LEAVES[index]);
      const probes: Array<[string, number, number, Hash[], Hash, Hash]> = [
        ["index - 1", index - 1, size, proof, root, leaf],
        ["index + 1", index + 1, size, proof, root, leaf],
        ["index ^ 2", index ^ 2, size, proof, root, leaf],
        ["size * 2", index, size * 2, proof, root, leaf],
        ["size / 2", index, Math.floor(size / 2), proof, root, leaf],
        ["wrong leaf", index, size, proof, root, leafHash(hex("ff"))],
        ["empty tree root", index, size, proof, EMPTY_ROOT_HASH, leaf],
        ["random root", index, size, proof, SOME_HASH, leaf],
        ["trailing root", index, size, [...proof, root], root, leaf],
        ["preceding root", index, size, [root, ...proof], root, leaf],
        ["short hash", index, size, [...proof.slice(0, -1), proof.at(-1)!.subarray(1)], root, leaf],
        ["removed component", index, size, proof.slice(0, -1), root, leaf],
        ["inserted component", index, size, [proof[0], SOME_HASH, ...proof.slice(1)], root, leaf],
        ...proof.map((_, i): [string, number, number, Hash[], Hash, Hash] => [
          `flipped proof[${i}]`,
          index,
          size,
          proof.map((h, j) => (i === j ? flip(h) : h)),
          root,
          leaf,
        ]),
      ];
      for (const [desc, i, s, p, r, l] of probes) expect(verifyInclusion(l, i, s, p, r), desc).toBe(false);
    },
  );

  it.each(CONSISTENCY)("builds and verifies the published consistency proof from $size1 to $size2", async (v) => {
    const tree = await treeOf(LEAVES);
    const proof = await consistencyProof(tree, v.size1, v.size2);
    expect(hexes(proof)).toEqual(v.proof);
    expect(verifyConsistency(v.size1, v.size2, proof, hex(ROOTS[v.size1]), hex(ROOTS[v.size2]))).toBe(true);
  });

  it.each(CONSISTENCY.filter((v) => v.proof.length > 0))(
    "rejects corrupted consistency proofs from $size1 to $size2",
    ({ size1, size2, proof: hexProof }) => {
      const proof = hexProof.map(hex);
      const [root1, root2] = [hex(ROOTS[size1]), hex(ROOTS[size2])];
      const probes: Array<[string, number, number, Hash[], Hash, Hash]> = [
        ["size1 - 1", size1 - 1, size2, proof, root1, root2],
        ["size1 + 1", size1 + 1, size2, proof, root1, root2],
        ["size1 ^ 2", size1 ^ 2, size2, proof, root1, root2],
        ["size2 * 2", size1, size2 * 2, proof, root1, root2],
        ["size2 / 2", size1, Math.floor(size2 / 2), proof, root1, root2],
        ["wrong root1", size1, size2, proof, SOME_HASH, root2],
        ["wrong root2", size1, size2, proof, root1, SOME_HASH],
        ["swapped roots", size1, size2, proof, root2, root1],
        ["empty proof", size1, size2, [], root1, root2],
        ["trailing root1", size1, size2, [...proof, root1], root1, root2],
        ["trailing root2", size1, size2, [...proof, root2], root1, root2],
        ["preceding root1", size1, size2, [root1, ...proof], root1, root2],
        ["preceding root2", size1, size2, [root2, ...proof], root1, root2],
        ["preceding proof[0]", size1, size2, [proof[0], ...proof], root1, root2],
        ["truncated", size1, size2, proof.slice(0, -1), root1, root2],
        ...proof.map((_, i): [string, number, number, Hash[], Hash, Hash] => [
          `flipped proof[${i}]`,
          size1,
          size2,
          proof.map((h, j) => (i === j ? flip(h) : h)),
          root1,
          root2,
        ]),
      ];
      for (const [desc, s1, s2, p, r1, r2] of probes) expect(verifyConsistency(s1, s2, p, r1, r2), desc).toBe(false);
    },
  );

  it("matches the recursive RFC 9162 definitions for every index and pair of sizes", async () => {
    const tree = await treeOf(LEAVES);
    for (let size2 = 1; size2 <= LEAVES.length; size2++) {
      const leaves = LEAVES.slice(0, size2);
      for (let index = 0; index < size2; index++) {
        expect(hexes(await inclusionProof(tree, index, size2))).toEqual(hexes(referencePath(index, leaves)));
      }
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = await consistencyProof(tree, size1, size2);
        expect(hexes(proof)).toEqual(hexes(referenceSubproof(size1, leaves, true)));
        expect(verifyConsistency(size1, size2, proof, hex(ROOTS[size1]), hex(ROOTS[size2]))).toBe(true);
      }
    }
  });
});

describe("edge cases of verification", () => {
  const [a, b] = [hex(ROOTS[1]), hex(ROOTS[2])];

  it.each([
    ["equal sizes, different roots", 1, 1, [], a, b, false],
    ["equal sizes, equal roots", 1, 1, [], a, a, true],
    ["equal sizes, non-empty proof", 1, 1, [a], a, a, false],
    ["from the empty tree", 0, 1, [], EMPTY_ROOT_HASH, a, true],
    ["from the empty tree with a proof", 0, 1, [a], EMPTY_ROOT_HASH, a, false],
    ["back in time", 2, 1, [], b, a, false],
    ["growth without a proof", 1, 2, [], a, b, false],
    ["negative size", -1, 2, [], a, b, false],
    ["fractional size", 1.5, 2, [], a, b, false],
  ] as const)("consistency: %s", (_, size1, size2, proof, root1, root2, expected) => {
    expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(expected);
  });

  it("inclusion: rejects indexes outside the tree and hashes of the wrong size", () => {
    const leaf = leafHash(hex("00"));
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toBe(true);
    expect(verifyInclusion(leaf, 0, 0, [], leaf)).toBe(false);
    expect(verifyInclusion(leaf, 1, 1, [], leaf)).toBe(false);
    expect(verifyInclusion(leaf, 0, 1, [], leaf.subarray(1))).toBe(false);
    expect(verifyInclusion(leaf.subarray(1), 0, 1, [], leaf.subarray(1))).toBe(false);
  });

  it("refuses to build proofs outside the stored tree", async () => {
    const tree = await treeOf(LEAVES);
    await expect(inclusionProof(tree, 8, 8)).rejects.toThrow(RangeError);
    await expect(inclusionProof(tree, 0, 9)).rejects.toThrow(/not stored/);
    await expect(consistencyProof(tree, 5, 4)).rejects.toThrow(RangeError);
    await expect(rootHash(tree, 9)).rejects.toThrow(/not stored/);
    expect(await consistencyProof(tree, 0, 8)).toEqual([]);
  });
});

describe("random trees", () => {
  const sizes = [
    1,
    2,
    3,
    31,
    32,
    33,
    64,
    127,
    255,
    256,
    257,
    300,
    ...Array.from({ length: 8 }, () => 1 + Math.floor(Math.random() * 300)),
  ];

  it.each(sizes)("size %i: every inclusion proof verifies and any flipped byte fails", async (size) => {
    const leaves = randomLeaves(size);
    const tree = await treeOf(leaves);
    const root = await rootHash(tree, size);
    expect(toHex(root)).toBe(toHex(referenceRoot(leaves)));
    for (let index = 0; index < size; index++) {
      const leaf = leafHash(leaves[index]);
      const proof = await inclusionProof(tree, index, size);
      expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
      const at = index % 32;
      expect(verifyInclusion(flip(leaf, at), index, size, proof, root)).toBe(false);
      expect(verifyInclusion(leaf, index, size, proof, flip(root, at))).toBe(false);
      proof.forEach((_, i) => {
        const corrupted = proof.map((h, j) => (i === j ? flip(h, at) : h));
        expect(verifyInclusion(leaf, index, size, corrupted, root)).toBe(false);
      });
    }
  });

  it.each(sizes)("size %i: every consistency proof to it verifies and any flipped byte fails", async (size2) => {
    const tree = await treeOf(randomLeaves(size2));
    const root2 = await rootHash(tree, size2);
    for (let size1 = 1; size1 <= size2; size1++) {
      const root1 = await rootHash(tree, size1);
      const proof = await consistencyProof(tree, size1, size2);
      expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(true);
      if (size1 === size2) continue;
      const at = size1 % 32;
      expect(verifyConsistency(size1, size2, proof, flip(root1, at), root2)).toBe(false);
      expect(verifyConsistency(size1, size2, proof, root1, flip(root2, at))).toBe(false);
      proof.forEach((_, i) => {
        const corrupted = proof.map((h, j) => (i === j ? flip(h, at) : h));
        expect(verifyConsistency(size1, size2, corrupted, root1, root2)).toBe(false);
      });
    }
  });
});

describe("cost", () => {
  /** Counts node reads, to show proofs never walk the leaves. */
  class CountingReader implements NodeReader {
    reads = 0;
    calls = 0;
    constructor(private readonly inner: NodeReader) {}
    nodeHashes(ids: readonly NodeId[]): Promise<Hash[]> {
      this.calls++;
      this.reads += ids.length;
      return this.inner.nodeHashes(ids);
    }
  }

  it("reads O(log² n) nodes in one batch per root or proof", async () => {
    const size = 1000;
    const reader = new CountingReader(await treeOf(randomLeaves(size)));
    for (const build of [
      () => rootHash(reader, size),
      () => inclusionProof(reader, 777, size),
      () => consistencyProof(reader, 333, size),
    ]) {
      reader.reads = reader.calls = 0;
      await build();
      expect(reader.calls).toBe(1);
      expect(reader.reads).toBeLessThanOrEqual(10 * 10);
    }
  });

  it("handles trees far beyond 2^32 leaves", async () => {
    // In a tree whose leaves are all equal, each level's perfect subtrees share one hash,
    // so a 2^45-leaf tree can be read without storing it. Sizes and indexes past 2^32
    // catch 32-bit bit operators, which would send proofs down the wrong path.
    const levels = [leafHash(hex("2a"))];
    for (let level = 1; level < 53; level++) levels.push(nodeHash(levels[level - 1], levels[level - 1]));
    const uniform: NodeReader = { nodeHashes: async (ids) => ids.map(({ level }) => levels[level]) };

    const size1 = 2 ** 33 + 12_345;
    const size2 = 2 ** 45 + 2 ** 32 + 7;
    const index = 2 ** 40 + 2 ** 31 + 3;
    const root1 = await rootHash(uniform, size1);
    const root2 = await rootHash(uniform, size2);
    expect(toHex(await rootHash(uniform, 2 ** 45))).toBe(toHex(levels[45]));

    const inclusion = await inclusionProof(uniform, index, size2);
    expect(verifyInclusion(levels[0], index, size2, inclusion, root2)).toBe(true);

    const consistency = await consistencyProof(uniform, size1, size2);
    expect(verifyConsistency(size1, size2, consistency, root1, root2)).toBe(true);
  });
});
