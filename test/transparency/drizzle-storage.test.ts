import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database";
import { verifyCheckpoint } from "../../src/transparency/checkpoint";
import { DrizzleLogStorage } from "../../src/transparency/drizzle-storage";
import { InconsistentCheckpointError, TransparencyLog } from "../../src/transparency/log";
import { leafHash, verifyInclusion } from "../../src/transparency/merkle";
import { logLeaves, logNodes } from "../../drizzle/schema";
import { eq } from "drizzle-orm";
import { databaseKinds, openTestDatabase } from "../helpers/databases";

describe.each(databaseKinds)("the Merkle log on the database (%s)", (kind) => {
  let database: Database;
  let drop = async () => {};
  const { privateKey } = generateKeyPairSync("ed25519");
  const leaf = (i: number) => new TextEncoder().encode(JSON.stringify({ type: "test", i }));

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
  });
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it("stores leaves, proves inclusion against a signed checkpoint, and refuses to sign over a rewrite", async () => {
    const storage = new DrizzleLogStorage(database.db);
    const log = new TransparencyLog(storage, "ensemble.test/log", privateKey);
    for (let i = 0; i < 21; i++) expect(await log.append(leaf(i))).toBe(i);
    const checkpoint = verifyCheckpoint(await log.checkpoint(), log.verifierKey);
    expect(checkpoint.size).toBe(21);
    for (const i of [0, 7, 20]) {
      const proof = await log.inclusionProof(i, 21);
      expect(verifyInclusion(leafHash(leaf(i)), i, 21, proof, checkpoint.rootHash)).toBe(true);
    }
    // a second process appending "the same next leaf" is refused by the database
    await expect(storage.appendLeaf(5, leaf(99), [])).rejects.toThrow();

    // someone rewrites a leaf and its hashes in the database, then the log grows
    await database.db
      .update(logLeaves)
      .set({ data: leaf(1000) })
      .where(eq(logLeaves.index, 3));
    const proof = await log.inclusionProof(3, 21);
    expect(verifyInclusion(leafHash(leaf(1000)), 3, 21, proof, checkpoint.rootHash)).toBe(false);
  });

  it("never signs a checkpoint that does not extend the last one", async () => {
    const storage = new DrizzleLogStorage(database.db);
    const log = new TransparencyLog(storage, "ensemble.test/log", privateKey);
    await log.append(leaf(21));
    await log.checkpoint();
    // rewrite the stored subtree hashes: the new root no longer extends the signed one
    await database.db.update(logNodes).set({ hash: new Uint8Array(32) });
    await log.append(leaf(22));
    await expect(log.checkpoint()).rejects.toThrow(InconsistentCheckpointError);
  });
});
