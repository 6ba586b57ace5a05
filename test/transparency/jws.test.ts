import { createPublicKey } from "node:crypto";
import { CompactSign } from "jose";
import { describe, expect, it } from "vitest";
import { jwkKeyId, leafData, publicJwks, signDocument, verifyDocument } from "../../src/transparency/jws";
import { ed25519Key } from "./helpers";

const DOCUMENT = { type: "SentimentReport", campaign: "https://ensemble.example/c/1", score: 0.25, labels: ["b", "a"] };

/** Replaces the payload of a compact JWS, keeping header and signature. */
function withPayload(jws: string, payload: string): string {
  const [header, , signature] = jws.split(".");
  return [header, Buffer.from(payload).toString("base64url"), signature].join(".");
}

describe("signed documents", () => {
  const key = ed25519Key();
  const publicKey = createPublicKey(key);

  it("signs the canonical JSON with EdDSA under the key's thumbprint", async () => {
    const jws = await signDocument(DOCUMENT, key);
    const [header, payload] = jws.split(".").map((part) => Buffer.from(part, "base64url").toString());
    expect(JSON.parse(header)).toEqual({ alg: "EdDSA", kid: await jwkKeyId(publicKey) });
    expect(payload).toBe(
      '{"campaign":"https://ensemble.example/c/1","labels":["b","a"],"score":0.25,"type":"SentimentReport"}',
    );
    expect(Buffer.from(leafData(DOCUMENT)).toString()).toBe(payload);
  });

  it("verifies against the published JWKS and returns the leaf data", async () => {
    const jwks = await publicJwks([createPublicKey(ed25519Key()), publicKey]);
    expect(jwks.keys[1]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwks.keys[1]).not.toHaveProperty("d");
    const verified = await verifyDocument(await signDocument(DOCUMENT, key), jwks);
    expect(verified.document).toEqual(DOCUMENT);
    expect(verified.kid).toBe(await jwkKeyId(publicKey));
    expect(verified.leafData).toEqual(leafData(DOCUMENT));
  });

  it("rejects a tampered document", async () => {
    const jws = await signDocument(DOCUMENT, key);
    const tampered = withPayload(jws, Buffer.from(leafData({ ...DOCUMENT, score: 0.95 })).toString());
    await expect(verifyDocument(tampered, await publicJwks([publicKey]))).rejects.toThrow(
      /signature verification failed/,
    );
  });

  it("rejects a document signed by a key missing from the JWKS", async () => {
    const jws = await signDocument(DOCUMENT, ed25519Key());
    await expect(verifyDocument(jws, await publicJwks([publicKey]))).rejects.toThrow(/no applicable key/);
  });

  it("rejects a validly signed payload that is not canonical, since its leaf could not be recomputed", async () => {
    const kid = await jwkKeyId(publicKey);
    const jws = await new CompactSign(Buffer.from(JSON.stringify(DOCUMENT)))
      .setProtectedHeader({ alg: "EdDSA", kid })
      .sign(key);
    await expect(verifyDocument(jws, await publicJwks([publicKey]))).rejects.toThrow(/not canonical/);
  });

  it("requires documents to have a type", () => {
    expect(() => leafData({ type: "" })).toThrow(/type/);
  });
});
