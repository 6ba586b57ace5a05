import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import { webcrypto } from "node:crypto";
import { eq } from "drizzle-orm";
import { actorKeys } from "../../drizzle/schema";
import type { Db } from "../db/database";

const algorithms = ["RSASSA-PKCS1-v1_5", "Ed25519"] as const;

/**
 * RSA for draft-cavage signatures (Mastodon, Pixelfed and most of the fediverse) and
 * Ed25519 for Object Integrity Proofs; both are published on the actor.
 */
export async function createActorKeys(db: Db, identifier: string): Promise<void> {
  for (const algorithm of algorithms) {
    const pair = algorithm === "Ed25519" ? await generateCryptoKeyPair("Ed25519") : await generateRsa2048();
    await db
      .insert(actorKeys)
      .values({
        actorIdentifier: identifier,
        algorithm,
        privateKey: await exportJwk(pair.privateKey),
        publicKey: await exportJwk(pair.publicKey),
      })
      .onConflictDoNothing();
  }
}

// Fedify's default is RSA-4096; 2048 is what Mastodon makes and verifies fastest.
function generateRsa2048(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  ) as Promise<CryptoKeyPair>;
}

// Importing JWKs costs more than signing with them, and keys never change once made.
// Per database, since a test process may run servers on several.
const caches = new WeakMap<Db, Map<string, Promise<CryptoKeyPair[]>>>();

async function loadKeyPairs(db: Db, identifier: string): Promise<CryptoKeyPair[]> {
  let rows = await db.select().from(actorKeys).where(eq(actorKeys.actorIdentifier, identifier));
  if (rows.length === 0) return [];
  rows = [...rows].sort((a, b) => algorithms.indexOf(a.algorithm) - algorithms.indexOf(b.algorithm));
  return Promise.all(
    rows.map(async (row) => ({
      privateKey: await importJwk(row.privateKey as JsonWebKey, "private"),
      publicKey: await importJwk(row.publicKey as JsonWebKey, "public"),
    })),
  );
}

export function getActorKeyPairs(db: Db, identifier: string): Promise<CryptoKeyPair[]> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let pairs = cache.get(identifier);
  if (!pairs) {
    pairs = loadKeyPairs(db, identifier).then((found) => {
      if (found.length === 0) cache!.delete(identifier);
      return found;
    });
    cache.set(identifier, pairs);
  }
  return pairs;
}

/** The instance actor's keys are made on first use. */
export async function ensureActorKeys(db: Db, identifier: string): Promise<CryptoKeyPair[]> {
  const pairs = await getActorKeyPairs(db, identifier);
  if (pairs.length > 0) return pairs;
  await createActorKeys(db, identifier);
  return getActorKeyPairs(db, identifier);
}

/** An actor's Ed25519 pair (Object Integrity Proofs), if it has one. */
export async function actorEd25519Key(db: Db, identifier: string): Promise<CryptoKeyPair | undefined> {
  return (await getActorKeyPairs(db, identifier)).find((p) => p.privateKey.algorithm.name === "Ed25519");
}
