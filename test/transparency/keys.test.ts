import { KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTANCE_ACTOR } from "../../src/services";
import { actorEd25519Key, ensureActorKeys } from "../../src/domain/keys";
import { signingKey } from "../../src/domain/signing-keys";
import { DrizzleLogStorage } from "../../src/transparency/drizzle-storage";
import { leafData } from "../../src/transparency/jws";
import { TransparencyLog } from "../../src/transparency/log";
import { verifierKey } from "../../src/transparency/note";
import { communityWithToken } from "../api/client";
import { databaseKinds, type DatabaseKind } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";

/** A steward token as the server makes them, but signed with `key`. */
const tokenSignedWith = (ensemble: TestEnsemble, key: KeyObject | CryptoKey) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "steward" })
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
    .setIssuer(ensemble.origin)
    .setAudience(`${ensemble.origin}/communities/climat`)
    .setSubject("mallory")
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .setJti(crypto.randomUUID())
    .sign(key);
};

const campaigns = (ensemble: TestEnsemble, token: string) =>
  fetch(`${ensemble.origin}/api/v1/communities/climat/campaigns`, { headers: { authorization: `Bearer ${token}` } });

/** A server of its own for the enclosing suite. */
function serverPerSuite(kind: DatabaseKind): () => TestEnsemble {
  let ensemble: TestEnsemble | undefined;
  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
  });
  afterAll(async () => {
    await ensemble?.stop();
  });
  return () => ensemble!;
}

describe.each(databaseKinds)("separate signing keys (%s)", (kind) => {
  const server = serverPerSuite(kind);

  it("signs the record, steward tokens and federation with three different keys", async () => {
    const ensemble = server();
    const { token } = await communityWithToken(ensemble, "climat");
    expect((await campaigns(ensemble, token)).status).toBe(200);
    const db = ensemble.services.db;
    const host = new URL(ensemble.origin).host;
    const published = (await (await fetch(`${ensemble.origin}/transparency/key`)).text()).trim();
    const record = await signingKey(db, "record");
    expect(published).toBe(verifierKey(host, record.publicKey));

    const tokens = await signingKey(db, "tokens");
    const actor = await ensureActorKeys(db, INSTANCE_ACTOR).then(() => actorEd25519Key(db, INSTANCE_ACTOR));
    const raw = (k: KeyObject | CryptoKey) =>
      (k instanceof KeyObject ? k : KeyObject.from(k)).export({ format: "jwk" }).x;
    expect(new Set([raw(record.publicKey), raw(tokens.publicKey), raw(actor!.publicKey)]).size).toBe(3);

    // the JWKS publishes the record's key only: the token key is this server's business
    const jwks = await (await fetch(`${ensemble.origin}/.well-known/jwks.json`)).json();
    expect(jwks.keys.map((k: { x: string }) => k.x)).toEqual([raw(record.publicKey)]);

    // a token signed with the record's key (or the actor's) is not a token
    expect((await campaigns(ensemble, await tokenSignedWith(ensemble, record.privateKey))).status).toBe(401);
    expect((await campaigns(ensemble, await tokenSignedWith(ensemble, tokens.privateKey))).status).toBe(200);
  });
});

describe.each(databaseKinds)("upgrading a server whose record was signed with the actor's key (%s)", (kind) => {
  const server = serverPerSuite(kind);

  it("keeps the pinned record key and tells holders of old tokens to get new ones", async () => {
    const ensemble = server();
    const db = ensemble.services.db;
    const host = new URL(ensemble.origin).host;
    await communityWithToken(ensemble, "climat");
    // what an earlier version left: leaves and a checkpoint signed with the instance actor's key
    const actor = (await ensureActorKeys(db, INSTANCE_ACTOR).then(() => actorEd25519Key(db, INSTANCE_ACTOR)))!;
    const old = new TransparencyLog(new DrizzleLogStorage(db), host, KeyObject.from(actor.privateKey));
    await old.append(leafData({ type: "test-act", n: 0 }));
    const pinned = await old.checkpoint();

    const published = (await (await fetch(`${ensemble.origin}/transparency/key`)).text()).trim();
    expect(published).toBe(old.verifierKey);
    expect(await (await fetch(`${ensemble.origin}/transparency/checkpoint`)).text()).toBe(pinned);

    const res = await campaigns(ensemble, await tokenSignedWith(ensemble, actor.privateKey));
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toMatch(
      /issued before steward tokens got their own signing key.*ask for a new one/,
    );
  });
});
