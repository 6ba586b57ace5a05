// The public record: every governance act and statement of reasons is signed as a JWS with the
// record's own Ed25519 key (see recordKeyOrigin) and appended, as its canonical JSON, to the Merkle log, after
// which a fresh checkpoint is signed, so an auditor can check it right away.

import { createPublicKey, KeyObject } from "node:crypto";
import { logCheckpoints, logLeaves } from "../../drizzle/schema";
import { sql } from "drizzle-orm";
import { CompactSign, type JSONWebKeySet } from "jose";
import { INSTANCE_ACTOR, type Services } from "../services";
import type { Db } from "../db/database";
import { actorEd25519Key } from "../domain/keys";
import { signingKey, type SigningKey } from "../domain/signing-keys";
import { DrizzleLogStorage } from "./drizzle-storage";
import { jwkKeyId, leafData, publicJwks, signDocument, type RecordDocument } from "./jws";
import { TransparencyLog } from "./log";

export interface PublicRecord {
  readonly log: TransparencyLog;
  readonly storage: DrizzleLogStorage;
  readonly privateKey: KeyObject;
  readonly jwks: JSONWebKeySet;
}

// One log per database, shared by the process: TransparencyLog serialises appends in memory,
// so two instances over the same tables would race (the leaf index check would reject one).
// Keyed by database because a test process runs several servers.
const records = new WeakMap<Db, Promise<PublicRecord>>();

export function publicRecord({ db, config }: Pick<Services, "db" | "config">): Promise<PublicRecord> {
  let record = records.get(db);
  if (!record) {
    record = openRecord(db, new URL(config.origin).host);
    records.set(db, record);
    record.catch(() => records.delete(db));
  }
  return record;
}

async function openRecord(db: Db, origin: string): Promise<PublicRecord> {
  const { privateKey, publicKey } = await signingKey(db, "record", recordKeyOrigin);
  const storage = new DrizzleLogStorage(db);
  const jwks = await publicJwks([publicKey]);
  return { log: new TransparencyLog(storage, origin, privateKey), storage, privateKey, jwks };
}

/**
 * The record's key is made on first use, except on a server whose record already has entries:
 * those were signed with the instance actor's Ed25519 key (before the record had a key of its
 * own), and auditors pinned that key, so the record keeps it rather than break every pin.
 */
async function recordKeyOrigin(db: Db): Promise<SigningKey | undefined> {
  const [leaf] = await db.select({ index: logLeaves.index }).from(logLeaves).limit(1);
  const [checkpoint] = await db.select({ id: logCheckpoints.id }).from(logCheckpoints).limit(1);
  if (!leaf && !checkpoint) return undefined;
  const ed25519 = await actorEd25519Key(db, INSTANCE_ACTOR);
  if (!ed25519)
    throw new Error("The public record has entries but the instance actor's Ed25519 key that signed them is missing.");
  return { privateKey: KeyObject.from(ed25519.privateKey), publicKey: KeyObject.from(ed25519.publicKey) };
}

/** Appends a record document to the log, inside the transaction `publishRecord` runs. */
export type AppendRecord = (document: RecordDocument) => Promise<{ index: number; jws: string }>;

/**
 * Runs `work` in one transaction with the leaves it appends, then signs a checkpoint that
 * includes them. What a record documents (a role, the rules, a moderation decision) and its
 * leaf commit together or not at all: a crash cannot leave a governance change the public
 * record lacks, nor a record of a change that did not happen.
 */
export async function publishRecord<T>(
  services: Pick<Services, "db" | "config">,
  work: (tx: Db, append: AppendRecord) => Promise<T>,
): Promise<T> {
  const { log, privateKey } = await publicRecord(services);
  const result = await services.db.transaction(async (tx) => {
    // one record transaction at a time across processes: the next one reads the tree after
    // this one commits, so two never claim the same leaf index
    await tx.execute(sql`select pg_advisory_xact_lock(${RECORD_LOCK})`);
    return work(tx, async (document) => {
      const index = await log.append(leafData(document), new DrizzleLogStorage(tx));
      return { index, jws: await signDocument(document, privateKey) };
    });
  });
  // Another process may sign a larger checkpoint between this one reading the tree and the
  // latest checkpoint; trying again reads both anew. A real inconsistency fails every time.
  await retrying(() => log.checkpoint());
  return result;
}

/** Advisory lock key of the public record's appends (an arbitrary constant: "ENSR"). */
const RECORD_LOCK = 0x454e5352;
const ATTEMPTS = 5;

async function retrying<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
    }
  }
}

/** Leaf `index` as published: the JWS is recomputed, since Ed25519 signs deterministically. */
export async function readRecord(
  services: Pick<Services, "db" | "config">,
  index: number,
): Promise<{ index: number; jws: string; document: RecordDocument } | undefined> {
  const { storage, privateKey } = await publicRecord(services);
  const data = await storage.leafData(index);
  if (!data) return undefined;
  const document = JSON.parse(new TextDecoder().decode(data)) as RecordDocument;
  // Signing the stored bytes, not a re-canonicalization: a leaf rewritten in the database
  // then yields a valid signature over data whose hash the checkpoint does not include.
  const jws = await new CompactSign(data)
    .setProtectedHeader({ alg: "EdDSA", kid: await jwkKeyId(createPublicKey(privateKey)) })
    .sign(privateKey);
  return { index, jws, document };
}
