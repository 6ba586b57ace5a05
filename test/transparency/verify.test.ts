import { createPublicKey, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jwkKeyId, leafData, publicJwks, signDocument, type RecordDocument } from "../../src/transparency/jws";
import { TransparencyLog } from "../../src/transparency/log";
import { MemoryLogStorage } from "../../src/transparency/memory";
import { audit, type AuditInput } from "../../src/transparency/verify";
import { ed25519Key } from "./helpers";

const ORIGIN = "ensemble.example/log";
const report = (i: number, score = i / 100): RecordDocument => ({ type: "SentimentReport", id: `report-${i}`, score });

/** A server's log of signed reports, checkpointed at each of `checkpointSizes`. */
async function server(key: KeyObject, documents: readonly RecordDocument[], checkpointSizes: readonly number[]) {
  const log = new TransparencyLog(new MemoryLogStorage(), ORIGIN, key);
  const jws: string[] = [];
  const checkpoints = new Map<number, string>();
  for (const document of documents) {
    jws.push(await signDocument(document, key));
    const size = (await log.append(leafData(document))) + 1;
    if (checkpointSizes.includes(size)) checkpoints.set(size, await log.checkpoint());
  }
  return { log, jws, checkpoints, jwks: await publicJwks([createPublicKey(key)]) };
}

/** What an auditor fetches about document `index` from a server whose latest checkpoint is at `size`. */
async function fetched(
  s: Awaited<ReturnType<typeof server>>,
  index: number,
  size: number,
  pinned?: { checkpoint: string; size: number },
): Promise<AuditInput> {
  return {
    jws: s.jws[index],
    jwks: s.jwks,
    inclusion: { leafIndex: index, treeSize: size, proof: await s.log.inclusionProof(index, size) },
    checkpoint: s.checkpoints.get(size)!,
    verifierKey: s.log.verifierKey,
    pinned: pinned && {
      checkpoint: pinned.checkpoint,
      consistencyProof: await s.log.consistencyProof(Math.min(pinned.size, size), size),
    },
  };
}

const documents = Array.from({ length: 40 }, (_, i) => report(i));
const key = ed25519Key();
const honest = await server(key, documents, [25, 31, 40]);
const pinned = { checkpoint: honest.checkpoints.get(31)!, size: 31 };

describe("audit", () => {
  it("passes every check for an honest server", async () => {
    expect(await audit(await fetched(honest, 12, 40, pinned))).toEqual([
      {
        name: "document signature",
        ok: true,
        detail: `signature valid with key ${await jwkKeyId(createPublicKey(key))}`,
      },
      {
        name: "log checkpoint",
        ok: true,
        detail: "checkpoint of ensemble.example/log at 40 entries is signed by its key",
      },
      { name: "inclusion in the log", ok: true, detail: "document is leaf 12 of the log of 40 entries" },
      {
        name: "consistency with the pinned checkpoint",
        ok: true,
        detail: "the log at 40 entries extends the checkpoint you pinned at 31 entries",
      },
    ]);
  });

  it("reports a tampered document", async () => {
    const input = await fetched(honest, 12, 40);
    const [header, , signature] = input.jws.split(".");
    const edited = Buffer.from(leafData(report(12, 0.99))).toString("base64url");
    const checks = await audit({ ...input, jws: [header, edited, signature].join(".") });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ["document signature", false],
      ["log checkpoint", true],
      ["inclusion in the log", false],
    ]);
    expect(checks[0].detail).toMatch(/^signature invalid: /);
  });

  it("reports a document the server edited and re-signed after logging it", async () => {
    const input = await fetched(honest, 12, 40);
    const checks = await audit({ ...input, jws: await signDocument(report(12, 0.99), key) });
    expect(checks[0].ok).toBe(true);
    expect(checks[2]).toEqual({
      name: "inclusion in the log",
      ok: false,
      detail: "document is not leaf 12 of the log of 40 entries: the proof does not lead to the checkpoint's root hash",
    });
  });

  it("reports a rewritten past leaf, even when the server recomputed the whole tree and re-signed", async () => {
    const rewrittenDocuments = documents.map((d, i) => (i === 12 ? report(12, 0.99) : d));
    const rewritten = await server(key, rewrittenDocuments, [40]);
    // The rewritten log is self-consistent: the edited document is a leaf of its new checkpoint…
    const checks = await audit(await fetched(rewritten, 12, 40, pinned));
    expect(checks.slice(0, 3).every((c) => c.ok)).toBe(true);
    // …but it no longer extends the checkpoint the auditor pinned before the rewrite.
    expect(checks[3]).toEqual({
      name: "consistency with the pinned checkpoint",
      ok: false,
      detail:
        "the log at 40 entries does not extend the checkpoint you pinned at 31 entries: its history was rewritten or forked",
    });
    // And the original document, as the auditor saved it, is not in the rewritten log.
    const original = await audit({ ...(await fetched(rewritten, 12, 40)), jws: honest.jws[12] });
    expect(original[2].ok).toBe(false);
  });

  it("reports a fork: a checkpoint with other entries after the pinned one", async () => {
    const forkDocuments = documents.map((d, i) => (i >= 35 ? report(i, -1) : d));
    const fork = await server(key, forkDocuments, [31, 40]);
    const forkPinned = { checkpoint: fork.checkpoints.get(31)!, size: 31 };
    // Both branches extend 31, but one auditor pinned the other branch at 40.
    const honestPinned = { checkpoint: honest.checkpoints.get(40)!, size: 40 };
    const forkSeen = await audit(await fetched(fork, 12, 40, forkPinned));
    expect(forkSeen.every((c) => c.ok)).toBe(true);
    const checks = await audit(await fetched(fork, 12, 40, honestPinned));
    expect(checks[3]).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/does not extend the checkpoint you pinned at 40 entries/),
    });
  });

  it("reports a log rolled back behind the pinned checkpoint", async () => {
    const checks = await audit(await fetched(honest, 12, 25, pinned));
    expect(checks[3]).toEqual({
      name: "consistency with the pinned checkpoint",
      ok: false,
      detail:
        "the log at 25 entries is smaller than the checkpoint you pinned at 31 entries: it was rolled back or forked",
    });
  });

  it("reports an inclusion proof for another tree size than the checkpoint", async () => {
    const input = await fetched(honest, 12, 40);
    const checks = await audit({
      ...input,
      inclusion: { ...input.inclusion, treeSize: 31, proof: await honest.log.inclusionProof(12, 31) },
    });
    expect(checks[2].detail).toBe("the proof is for a log of 31 entries, but the checkpoint is at 40 entries");
  });

  it("reports a checkpoint not signed by the pinned log key", async () => {
    const impostor = await server(ed25519Key(), documents, [40]);
    const input = await fetched(impostor, 12, 40, pinned);
    const checks = await audit({ ...input, verifierKey: honest.log.verifierKey });
    expect(checks.map((c) => c.ok)).toEqual([true, false, false, false]);
    expect(checks[1].detail).toMatch(
      /^checkpoint rejected: note has no signature by ensemble\.example\/log\+[0-9a-f]{8}$/,
    );
  });
});
