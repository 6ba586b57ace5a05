import { describe, expect, it } from "vitest";
import { actorOf, signingKeys } from "../../src/http/inbox-authority";
import { hasUnstorableText, jsonDepth } from "../../src/http/inbox-guard";

const A = "https://a.example";

describe("what the inbox gates read before any JSON-LD work", () => {
  it("finds every key a request claims, however it is spelled", () => {
    const headers = new Headers({
      signature: `keyId="${A}/users/x#main-key",algorithm="rsa-sha256",KEYID=${A}/k2`,
      "signature-input": `sig1=("@method");keyid="${A}/k3";alg="rsa-v1_5-sha256", sig2=();keyid=evil`,
    });
    const keys = signingKeys(
      headers,
      { signature: { creator: `${A}/k4` }, proof: [{ verificationMethod: { id: `${A}/k5` } }] },
      "{}",
    );
    expect(keys).toEqual({
      publicKeys: [`${A}/users/x#main-key`, `${A}/k2`, `${A}/k3`, "evil", `${A}/k4`],
      proofKeys: [`${A}/k5`],
    });
  });

  it("refuses claims it cannot read and security terms reached through an alias", () => {
    const none = new Headers();
    expect(signingKeys(none, { signature: { creator: 42 } }, "")).toMatch(/no creator/);
    expect(signingKeys(none, { proof: {} }, "")).toMatch(/no verification method/);
    expect(signingKeys(none, {}, '{"@context":{"p":"sec:proof"}}')).toMatch(/plain/);
  });

  it("knows one actor by IRI, or none", () => {
    expect(actorOf({ actor: `${A}/u` })?.href).toBe(`${A}/u`);
    expect(actorOf({ actor: { id: `${A}/u` } })?.href).toBe(`${A}/u`);
    expect(actorOf({ actor: [`${A}/u`, `${A}/v`] })).toBeNull();
    expect(actorOf({ actor: "not a url" })).toBeNull();
    expect(actorOf({})).toBeNull();
  });

  it("measures nesting on the raw text, strings and escapes aside", () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(jsonDepth('{"a":"\\"[["}')).toBe(1);
    expect(jsonDepth("[".repeat(100_000))).toBe(100_000);
  });

  it("spots NUL and unpaired surrogates PostgreSQL cannot store, in keys and values", () => {
    expect(hasUnstorableText({ a: ["ok", "😀", "é"] })).toBe(false);
    expect(hasUnstorableText({ a: ["\u0000"] })).toBe(true);
    expect(hasUnstorableText({ "\ud800": 1 })).toBe(true);
    expect(hasUnstorableText({ a: "x\udc00" })).toBe(true);
  });
});
