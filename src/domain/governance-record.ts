// A community's governance as its public record states it: the signed leaves of its acts, read
// back from the log and folded into who holds which role, the rules with their history, and the
// acts in order. Pages and governance.json are rendered from this, never from the live tables,
// so what they say is exactly what was signed and what an auditor can check leaf by leaf.

import { asc, eq, inArray } from "drizzle-orm";
import { governanceActs, logLeaves } from "../../drizzle/schema";
import type { Db } from "../db/database";

/** One leaf of the record: the document exactly as signed, and its index in the log. */
export interface RecordEntry {
  readonly index: number;
  readonly document: Readonly<Record<string, unknown>> & { readonly type: string };
}

export interface RecordedRole {
  /** The actor's IRI (or, in entries made before roles were resolved, the text typed then). */
  actor: string;
  /** `@name@host` as the account's server confirmed it; absent in older entries. */
  handle?: string;
  name?: string;
  role: string;
  since: string;
  appointedBy: string;
  record: number;
}

/** Someone who signed acts (a steward token's label) without an appointment in the record. */
export interface RecordedSigner {
  name: string;
  acts: number;
  last: string;
}

export interface RecordedRules {
  version: number;
  text: string;
  setBy: string;
  since: string;
  record: number;
}

export interface RecordedGovernance {
  roles: RecordedRole[];
  signers: RecordedSigner[];
  /** Newest first; the first is in force. */
  rules: RecordedRules[];
  acts: RecordEntry[];
}

/** The field each kind of act names its signer in (a steward token's label). */
const SIGNER_FIELDS = ["appointedBy", "removedBy", "setBy", "by", "decidedBy", "liftedBy"] as const;

/** Who signed an act, as recorded. */
export function actSigner(document: RecordEntry["document"]): string | undefined {
  for (const field of SIGNER_FIELDS) if (typeof document[field] === "string") return document[field] as string;
  return undefined;
}

/** Parses a leaf's bytes (canonical JSON) back into the document that was signed. */
export function recordEntry(index: number, data: Uint8Array): RecordEntry | undefined {
  try {
    const document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data)) as unknown;
    if (typeof document !== "object" || document === null || typeof (document as { type?: unknown }).type !== "string")
      return undefined;
    return { index, document: document as RecordEntry["document"] };
  } catch {
    return undefined;
  }
}

/** The leaves of this community's acts, in log order; a leaf naming another community is not its act. */
export async function communityRecord(db: Db, communityId: string, communityUrl: string): Promise<RecordEntry[]> {
  const acts = await db
    .select({ index: governanceActs.recordIndex })
    .from(governanceActs)
    .where(eq(governanceActs.communityId, communityId))
    .orderBy(asc(governanceActs.recordIndex));
  if (acts.length === 0) return [];
  const leaves = await db
    .select()
    .from(logLeaves)
    .where(
      inArray(
        logLeaves.index,
        acts.map((a) => a.index),
      ),
    )
    .orderBy(asc(logLeaves.index));
  return leaves
    .map((leaf) => recordEntry(leaf.index, leaf.data))
    .filter((e): e is RecordEntry => e?.document.community === communityUrl);
}

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/** A community's governance, read from its entries in the public record. */
export async function readRecordedGovernance(
  db: Db,
  communityId: string,
  communityUrl: string,
): Promise<RecordedGovernance> {
  return recordedGovernance(await communityRecord(db, communityId, communityUrl));
}

/** Folds the acts, in order, into the state they leave: the record is the only source. */
export function recordedGovernance(acts: readonly RecordEntry[]): RecordedGovernance {
  const roles = new Map<string, RecordedRole>();
  const rules: RecordedRules[] = [];
  const signed = new Map<string, RecordedSigner>();
  for (const entry of acts) {
    const d = entry.document;
    const at = text(d.at) ?? "";
    const signer = actSigner(d);
    if (signer) {
      const s = signed.get(signer) ?? { name: signer, acts: 0, last: at };
      signed.set(signer, { ...s, acts: s.acts + 1, last: at });
    }
    const actor = text(d.actor);
    const role = text(d.role);
    const key = `${role} ${actor}`;
    if (d.type === "role-appointed" && actor && role) {
      roles.set(key, {
        actor,
        handle: text(d.handle),
        name: text(d.name),
        role,
        since: at,
        appointedBy: text(d.appointedBy) ?? "",
        record: entry.index,
      });
    } else if (d.type === "role-removed" && actor && role) {
      roles.delete(key);
    } else if (d.type === "rules-set" && typeof d.version === "number" && typeof d.text === "string") {
      rules.unshift({ version: d.version, text: d.text, setBy: text(d.setBy) ?? "", since: at, record: entry.index });
    }
  }
  const holders = new Set([...roles.values()].flatMap((r) => [r.actor, r.handle]));
  const signers = [...signed.values()].filter((s) => !holders.has(s.name));
  return { roles: [...roles.values()], signers, rules, acts: [...acts] };
}
