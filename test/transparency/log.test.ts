import { describe, expect, it } from "vitest";
import { verifyCheckpoint } from "../../src/transparency/checkpoint";
import { InconsistentCheckpointError, TransparencyLog } from "../../src/transparency/log";
import { MemoryLogStorage } from "../../src/transparency/memory";
import { leafHash, rootHash, verifyConsistency, verifyInclusion } from "../../src/transparency/merkle";
import { ed25519Key, toHex } from "./helpers";

const ORIGIN = "ensemble.example/log";
const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);

async function logWith(count: number, storage = new MemoryLogStorage(), key = ed25519Key()) {
  const log = new TransparencyLog(storage, ORIGIN, key);
  for (let i = 0; i < count; i++) await log.append(entry(i));
  return { log, storage, key };
}

describe("TransparencyLog", () => {
  it("numbers leaves in order, even when appends race", async () => {
    const { log, storage } = await logWith(0);
    const indexes = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry(i))));
    expect(indexes).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await storage.size()).toBe(20);
  });

  it("signs checkpoints of the current tree that auditors can check proofs against", async () => {
    const { log, storage } = await logWith(13);
    const checkpoint = verifyCheckpoint(await log.checkpoint(), log.verifierKey);
    expect(checkpoint.size).toBe(13);
    expect(toHex(checkpoint.rootHash)).toBe(toHex(await rootHash(storage, 13)));
    const proof = await log.inclusionProof(5, 13);
    expect(verifyInclusion(leafHash(entry(5)), 5, 13, proof, checkpoint.rootHash)).toBe(true);
  });

  it("signs checkpoints that extend each other", async () => {
    const { log } = await logWith(7);
    const first = verifyCheckpoint(await log.checkpoint(), log.verifierKey);
    for (let i = 7; i < 30; i++) await log.append(entry(i));
    const second = verifyCheckpoint(await log.checkpoint(), log.verifierKey);
    const proof = await log.consistencyProof(7, 30);
    expect(verifyConsistency(7, 30, proof, first.rootHash, second.rootHash)).toBe(true);
  });

  it("returns the latest checkpoint instead of signing again when nothing was appended", async () => {
    const { log, storage } = await logWith(3);
    const note = await log.checkpoint();
    expect(await log.checkpoint()).toBe(note);
    expect(storage.checkpoints).toHaveLength(1);
  });

  it("refuses to sign after a past leaf was rewritten", async () => {
    const { log, storage, key } = await logWith(10);
    await log.checkpoint();
    // Someone with database access rewrites entry 4 and recomputes every hash.
    const leaves = storage.leaves.map((leaf, i) => (i === 4 ? new TextEncoder().encode("rewritten") : leaf));
    const rewritten = new MemoryLogStorage();
    const forger = new TransparencyLog(rewritten, ORIGIN, key);
    for (const leaf of leaves) await forger.append(leaf);
    await rewritten.saveCheckpoint((await storage.latestCheckpoint())!);
    await forger.append(entry(10));
    await expect(forger.checkpoint()).rejects.toThrow(InconsistentCheckpointError);
    await expect(forger.checkpoint()).rejects.toThrow(/does not extend the checkpoint signed at 10 entries/);
    expect(rewritten.checkpoints).toHaveLength(1);
  });

  it("refuses to sign a smaller tree than it already signed", async () => {
    const { log, storage, key } = await logWith(5);
    await log.checkpoint();
    const { log: truncated, storage: shorter } = await logWith(4, new MemoryLogStorage(), key);
    await shorter.saveCheckpoint((await storage.latestCheckpoint())!);
    await expect(truncated.checkpoint()).rejects.toThrow(/has 4 entries but a checkpoint was signed at 5/);
  });

  it("refuses to build on a stored checkpoint it did not sign", async () => {
    const { log: other } = await logWith(2);
    const { log, storage } = await logWith(2);
    await storage.saveCheckpoint(await other.checkpoint());
    await expect(log.checkpoint()).rejects.toThrow(/no signature/);
  });
});
