// The server's own signing keys, one per purpose (the public record, steward tokens), kept apart
// from the actors' federation keys: a steward token can never pass for a record entry, and the
// record's key, which auditors pin, is never used for anything else from now on.

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { eq } from "drizzle-orm";
import { signingKeys, type SigningKey as SigningKeyRow } from "../../drizzle/schema";
import type { Db } from "../db/database";

export type KeyPurpose = SigningKeyRow["purpose"];

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * What a purpose's first key should be when it is made: an existing key to adopt (say, the key
 * that already signed a deployed record) or nothing, for a fresh Ed25519 key.
 */
export type KeyOrigin = (db: Db) => Promise<SigningKey | undefined>;

// Keys never change once made; per database, since a test process runs several servers.
const caches = new WeakMap<Db, Map<KeyPurpose, Promise<SigningKey>>>();

/** The key for `purpose`, made on first use; every process sharing the database gets the same. */
export function signingKey(db: Db, purpose: KeyPurpose, origin?: KeyOrigin): Promise<SigningKey> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let key = cache.get(purpose);
  if (!key) {
    key = loadOrCreate(db, purpose, origin);
    key.catch(() => cache.delete(purpose));
    cache.set(purpose, key);
  }
  return key;
}

async function loadOrCreate(db: Db, purpose: KeyPurpose, origin?: KeyOrigin): Promise<SigningKey> {
  const stored = await load(db, purpose);
  if (stored) return stored;
  const made = (await origin?.(db)) ?? fresh();
  // two processes starting together both try; the first insert wins and both read it back
  await db
    .insert(signingKeys)
    .values({
      purpose,
      privateKey: made.privateKey.export({ format: "jwk" }),
      publicKey: made.publicKey.export({ format: "jwk" }),
    })
    .onConflictDoNothing();
  const kept = await load(db, purpose);
  if (!kept) throw new Error(`The ${purpose} signing key could not be stored.`);
  return kept;
}

async function load(db: Db, purpose: KeyPurpose): Promise<SigningKey | undefined> {
  const [row] = await db.select().from(signingKeys).where(eq(signingKeys.purpose, purpose));
  if (!row) return undefined;
  return {
    privateKey: createPrivateKey({ key: row.privateKey as JsonWebKey & { kty: string }, format: "jwk" }),
    publicKey: createPublicKey({ key: row.publicKey as JsonWebKey & { kty: string }, format: "jwk" }),
  };
}

function fresh(): SigningKey {
  return generateKeyPairSync("ed25519");
}
