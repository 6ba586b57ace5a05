// The public record page's data: a page of entries, newest first, each checked here the way an
// auditor would (its JWS against the published keys, its inclusion proof against the latest
// signed checkpoint, itself checked against the published verifier key), so the page shows what
// the checks found rather than what the database claims.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Services } from "../services";
import { recordEntry, type RecordEntry } from "../domain/governance-record";
import { encodeBase64 } from "./bytes";
import { verifyCheckpoint } from "./checkpoint";
import { verifyDocument } from "./jws";
import { leafHash, verifyInclusion } from "./merkle";
import { publicRecord, readRecord } from "./record";
import { projectPath } from "../project-root";

export const ENTRIES_PER_PAGE = 50;

export type EntryStatus = "verified" | "failed" | "pending";

export interface CheckedEntry {
  entry: RecordEntry;
  status: EntryStatus;
}

export interface RecordPage {
  /** The latest signed checkpoint, and whether it verifies with the published verifier key. */
  checkpoint: { note: string; size: number; rootHash: string; valid: boolean };
  verifierKey: string;
  /** Leaves stored, which may run ahead of the checkpoint for an instant. */
  size: number;
  entries: CheckedEntry[];
  /** The `before` of the next (older) and previous (newer) pages, when there are some. */
  older?: number;
  newer?: number;
}

/** Entries with an index below `before` (all, if absent), newest first. */
export async function recordPage(services: Pick<Services, "db" | "config">, before?: number): Promise<RecordPage> {
  const { log, storage, jwks } = await publicRecord(services);
  const note = await log.checkpoint();
  let checked: { size: number; rootHash: Uint8Array } | undefined;
  try {
    checked = verifyCheckpoint(note, log.verifierKey);
  } catch {
    checked = undefined;
  }
  const size = await storage.size();
  const top = Math.min(before ?? size, size);
  const indexes = Array.from({ length: Math.min(ENTRIES_PER_PAGE, top) }, (_, i) => top - 1 - i);
  const entries: CheckedEntry[] = [];
  for (const index of indexes) {
    const found = await readRecord(services, index);
    const data = await storage.leafData(index);
    const entry = data && recordEntry(index, data);
    if (!found || !data || !entry) continue;
    let status: EntryStatus = "pending";
    if (!checked) status = "failed";
    else if (index < checked.size) {
      const signed = await verifyDocument(found.jws, jwks).then(
        () => true,
        () => false,
      );
      const proof = await log.inclusionProof(index, checked.size);
      status =
        signed && verifyInclusion(leafHash(data), index, checked.size, proof, checked.rootHash) ? "verified" : "failed";
    }
    entries.push({ entry, status });
  }
  const last = indexes.at(-1);
  return {
    checkpoint: {
      note,
      size: Number(note.split("\n")[1]),
      rootHash: checked ? encodeBase64(checked.rootHash) : (note.split("\n")[2] ?? ""),
      valid: checked !== undefined,
    },
    verifierKey: log.verifierKey,
    size,
    entries,
    older: last !== undefined && last > 0 ? last : undefined,
    newer: top < size ? Math.min(top + ENTRIES_PER_PAGE, size) : undefined,
  };
}

/** The stand-alone verifier auditors download, and its SHA-256 (hex), published on the page and in the README. */
export const verifierScript: { source: string; sha256: string } = (() => {
  const source = readFileSync(projectPath("src", "transparency", "standalone-verifier.mjs"), "utf8");
  return { source, sha256: createHash("sha256").update(source).digest("hex") };
})();
