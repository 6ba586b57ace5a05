import { createPrivateKey, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { noteKeyId, openNote, parseVerifierKey, signNote, verifierKey } from "../../src/transparency/note";
import { ed25519Key } from "./helpers";

// The example key and note of golang.org/x/mod/sumdb/note (note_test.go), which
// every Go transparency-log tool interoperates with.
const GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIGNATURE =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const GO_NOTE = `${GO_TEXT}\n${GO_SIGNATURE}`;

/** The Go signer key ends in base64(0x01 || 32-byte Ed25519 seed); wrap the seed in PKCS #8 for node. */
function goPrivateKey() {
  const seed = Buffer.from(GO_SIGNER_KEY.split("+").slice(4).join("+"), "base64").subarray(1);
  const pkcs8Prefix = Buffer.from("302e020100300506032b657004220420", "hex");
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: "der", type: "pkcs8" });
}

describe("signed notes: Go reference vector", () => {
  it("derives the same key ID and verifier key", () => {
    const publicKey = createPublicKey(goPrivateKey());
    expect(noteKeyId("PeterNeumann", publicKey).toString(16)).toBe("c74f20a3");
    expect(verifierKey("PeterNeumann", publicKey)).toBe(GO_VERIFIER_KEY);
    expect(parseVerifierKey(GO_VERIFIER_KEY)).toMatchObject({ name: "PeterNeumann", keyId: 0xc74f20a3 });
  });

  it("produces the published note byte for byte (Ed25519 is deterministic)", () => {
    expect(signNote(GO_TEXT, "PeterNeumann", goPrivateKey())).toBe(GO_NOTE);
  });

  it("opens the published note and rejects it once altered", () => {
    const verifier = parseVerifierKey(GO_VERIFIER_KEY);
    expect(openNote(GO_NOTE, verifier)).toBe(GO_TEXT);
    expect(() => openNote(GO_NOTE.replace("cryptography", "cryptographY"), verifier)).toThrow(/does not verify/);
  });

  it("rejects every truncation and every single-character change of the verifier key", () => {
    const bad: string[] = [];
    for (let i = 0; i <= GO_VERIFIER_KEY.length; i++) {
      for (let j = i + 1; j <= GO_VERIFIER_KEY.length; j++) {
        if (i !== 0 || j !== GO_VERIFIER_KEY.length) bad.push(GO_VERIFIER_KEY.slice(i, j));
      }
    }
    for (let i = 0; i < GO_VERIFIER_KEY.length; i++) {
      const next = String.fromCharCode(GO_VERIFIER_KEY.charCodeAt(i) + 1);
      bad.push(GO_VERIFIER_KEY.slice(0, i) + next + GO_VERIFIER_KEY.slice(i + 1));
    }
    const accepted = bad.filter((key) => {
      try {
        parseVerifierKey(key);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual([]);
  });
});

describe("signed notes", () => {
  const key = ed25519Key();
  const name = "ensemble.example/log";
  const verifier = parseVerifierKey(verifierKey(name, createPublicKey(key)));
  const text = "first line\n\nafter a blank line\n";
  const note = signNote(text, name, key);

  it("keeps blank lines inside the text", () => {
    expect(openNote(note, verifier)).toBe(text);
  });

  it("ignores signatures by other keys, before or after the known one", () => {
    const other = signNote(text, "witness.example", ed25519Key()).slice(text.length + 1);
    const sameNameOtherKey = signNote(text, name, ed25519Key()).slice(text.length + 1);
    const mine = note.slice(text.length + 1);
    expect(openNote(`${text}\n${other}${mine}${sameNameOtherKey}`, verifier)).toBe(text);
  });

  it("rejects notes without a signature by the trusted key", () => {
    const other = signNote(text, "witness.example", ed25519Key());
    expect(() => openNote(other, verifier)).toThrow(/no signature by ensemble.example\/log\+/);
    const impostor = signNote(text, name, ed25519Key());
    expect(() => openNote(impostor, verifier)).toThrow(/no signature/);
  });

  it("rejects a note whose known signature fails even when another one verifies", () => {
    const mine = note.slice(text.length + 1);
    const space = mine.lastIndexOf(" ");
    const signature = Buffer.from(mine.slice(space + 1, -1), "base64");
    signature[10] ^= 1; // past the 4-byte key ID, so the line still names the trusted key
    const forged = `${mine.slice(0, space)} ${signature.toString("base64")}\n`;
    expect(() => openNote(`${text}\n${mine}${forged}`, verifier)).toThrow(/does not verify/);
  });

  it.each([
    ["no blank line", note.replace("\n\n—", "\n—")],
    ["missing final newline", note.slice(0, -1)],
    ["no signature lines", `${text}\n`],
    ["signature line without the em dash", note.replace("— ", "- ")],
    ["signature without a name", note.replace(`— ${name} `, "— ")],
    ["non-canonical base64", note.replace(/=\n$/, "\n")],
    ["control character in the text", `tab\there\n\n${note.slice(text.length + 1)}`],
    ["carriage return line ending", note.replace(/\n$/, "\r\n")],
  ])("rejects malformed notes: %s", (_, malformed) => {
    expect(() => openNote(malformed, verifier)).toThrow();
  });

  it("refuses to sign malformed text or with an invalid key name", () => {
    expect(() => signNote("no final newline", name, key)).toThrow(/newline/);
    expect(() => signNote(text, "has space", key)).toThrow(/key name/);
    expect(() => signNote(text, "has+plus", key)).toThrow(/key name/);
    expect(() => signNote(text, "", key)).toThrow(/key name/);
  });
});
