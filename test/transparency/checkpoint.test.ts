import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from "../../src/transparency/checkpoint";
import { signNote, verifierKey } from "../../src/transparency/note";
import { ed25519Key, toHex } from "./helpers";

// The example checkpoint of c2sp.org/tlog-checkpoint.
const SPEC_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

describe("checkpoint text", () => {
  it("parses the spec's example", () => {
    const checkpoint = parseCheckpoint(SPEC_TEXT);
    expect(checkpoint.origin).toBe("example.com/behind-the-sofa");
    expect(checkpoint.size).toBe(20852163);
    expect(toHex(checkpoint.rootHash)).toBe(
      toHex(Buffer.from("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "base64")),
    );
    expect(checkpoint.extensions).toEqual([]);
    expect(formatCheckpoint(checkpoint)).toBe(SPEC_TEXT);
  });

  it("keeps extension lines", () => {
    const text = `${SPEC_TEXT}ext one\next two\n`;
    expect(parseCheckpoint(text).extensions).toEqual(["ext one", "ext two"]);
    expect(formatCheckpoint(parseCheckpoint(text))).toBe(text);
  });

  it("accepts the empty tree", () => {
    expect(parseCheckpoint("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n").size).toBe(0);
  });

  it.each([
    ["two lines", "example.com/log\n1\n"],
    ["no final newline", SPEC_TEXT.slice(0, -1)],
    ["empty origin", `\n${SPEC_TEXT.split("\n").slice(1).join("\n")}`],
    ["leading zero", SPEC_TEXT.replace("20852163", "020852163")],
    ["signed size", SPEC_TEXT.replace("20852163", "+20852163")],
    ["hex size", SPEC_TEXT.replace("20852163", "0x13e2e83")],
    ["size past 2^53", SPEC_TEXT.replace("20852163", "9007199254740993")],
    ["unpadded root", SPEC_TEXT.replace("=\n", "\n")],
    [
      "short root",
      SPEC_TEXT.replace("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw=="),
    ],
    ["empty extension line", `${SPEC_TEXT}\nafter\n`],
  ])("rejects %s", (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(/malformed|base64/);
  });
});

describe("signed checkpoints", () => {
  const key = ed25519Key();
  const origin = "ensemble.example/log";
  const vkey = verifierKey(origin, createPublicKey(key));
  const checkpoint: Checkpoint = { origin, size: 42, rootHash: new Uint8Array(32).fill(7), extensions: [] };
  const note = signCheckpoint(checkpoint, key);

  it("is a signed note named after the origin", () => {
    expect(note).toMatch(
      /^ensemble\.example\/log\n42\nBwcH[A-Za-z0-9+/]+=\n\n— ensemble\.example\/log [A-Za-z0-9+/]{91}=\n$/,
    );
  });

  it("verifies against the log's verifier key", () => {
    const verified = verifyCheckpoint(note, vkey);
    expect(verified.size).toBe(42);
    expect(toHex(verified.rootHash)).toBe(toHex(checkpoint.rootHash));
  });

  it("rejects an altered checkpoint", () => {
    expect(() => verifyCheckpoint(note.replace("\n42\n", "\n43\n"), vkey)).toThrow(/does not verify/);
  });

  it("rejects a checkpoint signed by another key or key name", () => {
    expect(() => verifyCheckpoint(signCheckpoint(checkpoint, ed25519Key()), vkey)).toThrow(/no signature/);
    const renamed = signNote(formatCheckpoint(checkpoint), "other.example/log", key);
    expect(() => verifyCheckpoint(renamed, vkey)).toThrow(/no signature/);
  });

  it("rejects a checkpoint of another origin signed by the same key", () => {
    const foreign = signNote(formatCheckpoint({ ...checkpoint, origin: "other.example/log" }), origin, key);
    expect(() => verifyCheckpoint(foreign, vkey)).toThrow(/for log other\.example\/log/);
  });

  it("refuses to sign a checkpoint that would not parse back to itself", () => {
    expect(() => signCheckpoint({ ...checkpoint, origin: "a\n42" }, key)).toThrow(/newlines/);
    expect(() => signCheckpoint({ ...checkpoint, size: -1 }, key)).toThrow(/malformed/);
    expect(() => signCheckpoint({ ...checkpoint, rootHash: new Uint8Array(31) }, key)).toThrow(/malformed/);
    expect(() => signCheckpoint({ ...checkpoint, extensions: [""] }, key)).toThrow(/malformed/);
  });

  it("rejects a validly signed note that is not a checkpoint", () => {
    expect(() => verifyCheckpoint(signNote("hello\n", origin, key), vkey)).toThrow(/malformed checkpoint/);
  });
});
