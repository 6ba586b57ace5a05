import { createHash, createPublicKey, verify } from "node:crypto";
import canonicalize from "canonicalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../src/domain/communities";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

/**
 * Object Integrity Proofs (FEP-8b32, cryptosuite eddsa-jcs-2022) checked by a verifier written
 * here from the W3C Data Integrity EdDSA spec, independently of Fedify: JCS by `canonicalize`
 * (not the `json-canon` Fedify uses), the key decoded from its multibase form by hand. A
 * receiving server that checks proofs (Fedify-based ones, FEP-8b32 implementations) must get
 * a proof that verifies, or it drops the activity.
 */

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(text: string): Buffer {
  let n = 0n;
  for (const ch of text) {
    const digit = BASE58.indexOf(ch);
    if (digit < 0) throw new Error(`not base58: ${ch}`);
    n = n * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  for (; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  const zeros = text.length - text.replace(/^1+/, "").length;
  return Buffer.from([...new Array(zeros).fill(0), ...bytes]);
}

/** A Multikey's `publicKeyMultibase` (z + base58btc of 0xed 0x01 + 32 bytes) as a Node key. */
function ed25519FromMultibase(multibase: string) {
  expect(multibase.startsWith("z")).toBe(true);
  const raw = base58btc(multibase.slice(1));
  expect([...raw.subarray(0, 2)]).toEqual([0xed, 0x01]);
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw.subarray(2)]);
  return createPublicKey({ key: spki, format: "der", type: "spki" });
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** eddsa-jcs-2022 verification (Data Integrity EdDSA Cryptosuites v1.0, §3.3). */
function verifyEddsaJcs(document: Record<string, unknown>, key: ReturnType<typeof createPublicKey>): boolean {
  const { proof, ...unsecured } = document as { proof: Record<string, unknown> } & Record<string, unknown>;
  const { proofValue, ...options } = proof;
  // the proof options carry the document's @context when it has one
  const proofConfig = unsecured["@context"] ? { ...options, "@context": unsecured["@context"] } : options;
  const hashData = Buffer.concat([sha256(canonicalize(proofConfig)!), sha256(canonicalize(unsecured)!)]);
  return verify(null, hashData, key, base58btc(String(proofValue).slice(1)));
}

describe("Object Integrity Proofs on what a community sends", () => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let actorUrl: string;

  beforeAll(async () => {
    ensemble = await startTestEnsemble("pglite");
    peer = await startPeer();
    await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat Rouen", summary: "" });
    actorUrl = `${ensemble.origin}/communities/climat`;
  }, 60_000);
  afterAll(async () => {
    await peer?.close();
    await ensemble?.stop();
  });

  it("signs an Accept with an eddsa-jcs-2022 proof that an independent verifier accepts", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/follows/proof`,
      type: "Follow",
      actor: peer.actorUrl(),
      object: actorUrl,
    };
    expect((await peer.signedPost(`${actorUrl}/inbox`, follow)).status).toBe(202);
    const accept = await peer.waitForDelivery((d) => d.body?.type === "Accept");
    const proof = accept.body.proof;
    expect(proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022" });
    expect(proof.proofPurpose).toBe("assertionMethod");

    // the verification method is one the community's actor lists as an assertion method
    const group = await (await fetch(actorUrl, { headers: { accept: "application/activity+json" } })).json();
    const methods = [group.assertionMethod].flat();
    const method = methods.find((m: { id: string }) => m.id === proof.verificationMethod);
    expect(method?.type).toBe("Multikey");
    const key = ed25519FromMultibase(method.publicKeyMultibase);

    // the RSA Linked Data signature (for Mastodon's relays) is added after the proof and wraps
    // it, so a verifier detaches it first, as Fedify's own verifier does (`detachSignature`)
    expect(accept.body.signature?.type).toBe("RsaSignature2017");
    const { signature: _outer, ...proved } = accept.body;
    expect(verifyEddsaJcs(proved, key)).toBe(true);
    // and the verifier is not a rubber stamp: one changed field fails it
    expect(verifyEddsaJcs({ ...proved, actor: peer.actorUrl() }, key)).toBe(false);
    expect(verifyEddsaJcs({ ...proved, proof: { ...proof, created: new Date(0).toISOString() } }, key)).toBe(false);
  });
});
