#!/usr/bin/env node
// Ensemble public record verifier: one file, no dependencies (Node.js 20 or later: node:crypto,
// node:fs and fetch only), for auditors who do not want to trust the server, its pages or this
// project's code beyond these lines. It checks, from what the server serves:
//   1. the checkpoint (a C2SP signed note, https://c2sp.org/tlog-checkpoint) is signed by the
//      record key (the one you pin with --pin, or the one saved from your previous run);
//   2. every entry's JWS (EdDSA) is valid for the published key and its payload is the entry;
//   3. every entry is in the checkpoint: its RFC 9162 inclusion proof leads to the signed root,
//      and the root recomputed from all entries equals it;
//   4. the log extends the checkpoint saved by your previous run (RFC 9162 consistency proof),
//      so a rewritten or forked history is caught.
// Usage: node verify.mjs https://host [--pin <verifier key>] [--state <file>]
// Exit status: 0 verified, 1 a check failed, 2 the server could not be read or bad arguments.

import { createHash, createPublicKey, verify } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const USAGE = "Usage: node verify.mjs https://your.ensemble.host [--pin <record verifier key>] [--state <file>]";

class Unreadable extends Error {}

function parseArgs(argv) {
  const options = { url: undefined, pin: undefined, state: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--pin" || arg === "--state") {
      if (argv[i + 1] === undefined) throw new Unreadable(`${arg} needs a value.\n${USAGE}`);
      options[arg.slice(2)] = argv[++i];
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (options.url === undefined) {
      options.url = arg;
    } else {
      throw new Unreadable(`Unexpected argument ${JSON.stringify(arg)}.\n${USAGE}`);
    }
  }
  let base;
  try {
    base = new URL(options.url ?? "");
  } catch {
    throw new Unreadable(`${options.url === undefined ? "No server given." : `${JSON.stringify(options.url)} is not a web address.`}\n${USAGE}`);
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new Unreadable(`${base.href} is not an http(s) address.\n${USAGE}`);
  return { ...options, origin: base.origin };
}

// --- reading the server, with errors that say what went wrong -------------------------------

async function get(origin, path, as) {
  const url = new URL(path, origin).href;
  let response;
  try {
    response = await fetch(url, { headers: { accept: as === "json" ? "application/json" : "text/plain" } });
  } catch (error) {
    throw new Unreadable(`Could not reach ${url}: ${error.cause?.message ?? error.message}. Check the address.`);
  }
  if (!response.ok) {
    throw new Unreadable(`${url} answered HTTP ${response.status}${response.status === 404 ? ": is this the address of an Ensemble server?" : "."}`);
  }
  const text = await response.text();
  if (as === "text") return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new Unreadable(`${url} did not answer JSON (it starts with ${JSON.stringify(text.slice(0, 40))}): is this the address of an Ensemble server?`);
  }
}

// --- RFC 9162 Merkle tree hashing --------------------------------------------------------------

const sha256 = (...parts) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const leafHash = (data) => sha256(Uint8Array.of(0), data);
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);
const half = (n) => Math.floor(n / 2);

/** MTH of all the leaf hashes (RFC 9162 §2.1.1): the left subtree is the largest power of two below n. */
function treeRoot(hashes) {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(treeRoot(hashes.slice(0, k)), treeRoot(hashes.slice(k)));
}

/** RFC 9162 §2.1.3.2. */
function verifyInclusion(hash, index, size, proof, root) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2. */
function verifyConsistency(size1, size2, proof, root1, root2) {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

// --- C2SP signed notes and checkpoints -------------------------------------------------------

const ed25519Key = (raw) => createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") }, format: "jwk" });

/** `<name>+<hex key ID>+<base64(0x01 || Ed25519 public key)>`, as golang.org/x/mod/sumdb/note writes it. */
function parseVerifierKey(text) {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!match) throw new Error(`${JSON.stringify(text.trim().slice(0, 80))} is not a verifier key (name+keyid+key)`);
  const [, name, id, key] = match;
  const bytes = Buffer.from(key, "base64");
  if (bytes.length !== 33 || bytes[0] !== 1) throw new Error("the verifier key is not an Ed25519 key");
  const keyId = sha256(Buffer.from(`${name}\n`), bytes).subarray(0, 4);
  if (keyId.toString("hex") !== id) throw new Error("the verifier key's ID does not match its key");
  return { name, keyId, publicKey: ed25519Key(bytes.subarray(1)) };
}

/** The checkpoint's origin, size and root hash, once a signature by `key` checks out. */
function openCheckpoint(note, key) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Error("the checkpoint is not a signed note (no blank line before its signatures)");
  const text = note.slice(0, split + 1);
  let signed = false;
  for (const line of note.slice(split + 2).split("\n").filter(Boolean)) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match || match[1] !== key.name) continue;
    const bytes = Buffer.from(match[2], "base64");
    if (bytes.length !== 68 || !bytes.subarray(0, 4).equals(key.keyId)) continue;
    if (!verify(null, Buffer.from(text), key.publicKey, bytes.subarray(4))) throw new Error(`the signature by ${key.name} does not verify`);
    signed = true;
  }
  if (!signed) throw new Error(`it has no signature by the record key ${key.name}`);
  const [origin, size, root] = text.slice(0, -1).split("\n");
  if (origin !== key.name) throw new Error(`it is for log ${origin}, not ${key.name}`);
  if (!/^(0|[1-9][0-9]*)$/.test(size ?? "")) throw new Error("its tree size is malformed");
  const rootHash = Buffer.from(root ?? "", "base64");
  if (rootHash.length !== 32) throw new Error("its root hash is malformed");
  return { origin, size: Number(size), rootHash };
}

// --- entries: JWS over the canonical JSON that is the leaf ------------------------------------

function sameJson(a, b) {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [ka, kb] = [Object.keys(a).sort(), Object.keys(b).sort()];
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson(a[k], b[k]));
}

/** The leaf bytes of an entry, once its JWS checks out against the published keys; throws saying why not. */
function verifiedLeaf(entry, keys) {
  const parts = typeof entry.jws === "string" ? entry.jws.split(".") : [];
  if (parts.length !== 3) throw new Error("it has no compact JWS");
  const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
  if (header.alg !== "EdDSA") throw new Error(`its JWS uses ${header.alg}, not EdDSA`);
  const jwk = keys.find((k) => k.kid === header.kid && k.kty === "OKP" && k.crv === "Ed25519");
  if (!jwk) throw new Error(`its JWS names key ${header.kid}, which the server does not publish`);
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
  if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], "base64url"))) throw new Error("its JWS signature is invalid");
  const payload = Buffer.from(parts[1], "base64url");
  if (!sameJson(JSON.parse(payload.toString("utf8")), entry.document)) throw new Error("the document served beside it is not the one signed");
  return payload;
}

// --- the run ----------------------------------------------------------------------------------

const results = [];
const report = (ok, text) => {
  results.push(ok);
  console.log(`${ok ? "\u2713" : "\u2717"} ${text}`);
};
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { origin } = options;
  const statePath = options.state ?? `ensemble-record-${new URL(origin).host.replace(/[^a-z0-9.-]/gi, "_")}.json`;
  const saved = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : undefined;
  console.log(`Checking the public record of ${origin}\n`);

  // 1. the key
  const served = (await get(origin, "/transparency/key", "text")).trim();
  let keyText = served;
  const trusted = options.pin ?? saved?.key;
  if (trusted !== undefined) {
    if (trusted.trim() !== served) {
      report(false, `The server now publishes the record key ${served}, not the key ${options.pin ? "you pinned" : `saved in ${statePath}`} (${trusted.trim()}). Its checkpoints are checked against yours.`);
      keyText = trusted.trim();
    } else {
      report(true, `The server's record key is the one ${options.pin ? "you pinned" : `saved in ${statePath} by your previous run`}: ${served}`);
    }
  } else {
    console.log(`! First check of this server: trusting the record key it serves now, ${served}.\n  Compare it with one published elsewhere, then pin it with --pin next time.`);
  }
  let key;
  try {
    key = parseVerifierKey(keyText);
  } catch (error) {
    report(false, `The record key cannot be used: ${error.message}.`);
    return;
  }

  // 2. the checkpoint
  const note = await get(origin, "/transparency/checkpoint", "text");
  let checkpoint;
  try {
    checkpoint = openCheckpoint(note, key);
    report(true, `The latest checkpoint is signed by the record key: ${plural(checkpoint.size, "entry", "entries")}, root hash ${checkpoint.rootHash.toString("base64")}.`);
  } catch (error) {
    report(false, `The latest checkpoint is not valid: ${error.message}.`);
    return;
  }

  // 3. every entry: signature, inclusion proof, and the root of them all
  const jwks = await get(origin, "/.well-known/jwks.json", "json");
  const keys = Array.isArray(jwks?.keys) ? jwks.keys : [];
  const hashes = [];
  const badSignature = [];
  const notIncluded = [];
  for (let index = 0; index < checkpoint.size; index++) {
    const entry = await get(origin, `/transparency/records/${index}`, "json");
    let leaf;
    try {
      leaf = verifiedLeaf(entry, keys);
    } catch (error) {
      badSignature.push(`entry ${index}: ${error.message}`);
      hashes.push(Buffer.alloc(32));
      continue;
    }
    const hash = leafHash(leaf);
    hashes.push(hash);
    const { proof } = await get(origin, `/transparency/proofs/inclusion?index=${index}&size=${checkpoint.size}`, "json");
    const path = Array.isArray(proof) ? proof.map((p) => Buffer.from(String(p), "base64")) : [];
    if (!verifyInclusion(hash, index, checkpoint.size, path, checkpoint.rootHash)) notIncluded.push(index);
  }
  const entries = plural(checkpoint.size, "entry", "entries");
  report(badSignature.length === 0, badSignature.length === 0 ? `All ${entries} are signed with the published key.` : `Entries whose signature does not hold:\n    ${badSignature.join("\n    ")}`);
  report(
    notIncluded.length === 0,
    notIncluded.length === 0
      ? `Every entry is included in the checkpoint (one inclusion proof per entry).`
      : `${plural(notIncluded.length, "entry is", "entries are")} NOT what the checkpoint commits to: ${notIncluded.join(", ")}. The record was changed after it was signed.`,
  );
  const root = treeRoot(hashes);
  report(
    root.equals(checkpoint.rootHash),
    root.equals(checkpoint.rootHash)
      ? `The root hash recomputed from all ${entries} equals the signed one: nothing is missing, added or reordered.`
      : "The root hash recomputed from the entries served differs from the signed one: the entries are not the record the checkpoint commits to.",
  );

  // 4. consistency with the checkpoint saved by the previous run
  if (saved?.checkpoint) {
    let previous;
    try {
      previous = openCheckpoint(saved.checkpoint, key);
    } catch (error) {
      report(false, `The checkpoint saved in ${statePath} does not verify with the record key: ${error.message}.`);
    }
    if (previous && previous.size > checkpoint.size) {
      report(false, `The record now has ${entries}, fewer than the ${previous.size} you saw on ${saved.savedAt}: it was rolled back or forked.`);
    } else if (previous) {
      const { proof } = await get(origin, `/transparency/proofs/consistency?from=${previous.size}&to=${checkpoint.size}`, "json");
      const path = Array.isArray(proof) ? proof.map((p) => Buffer.from(String(p), "base64")) : [];
      const ok = verifyConsistency(previous.size, checkpoint.size, path, previous.rootHash, checkpoint.rootHash);
      report(
        ok,
        ok
          ? `The record extends the one you checked on ${saved.savedAt} (${plural(previous.size, "entry", "entries")}): no past entry was changed.`
          : `The record does NOT extend the one you checked on ${saved.savedAt} (${plural(previous.size, "entry", "entries")}): its history was rewritten or forked.`,
      );
    }
  } else {
    console.log(`! No checkpoint saved from an earlier run: the next run will check that the record only grows from this one.`);
  }

  if (results.every(Boolean)) {
    writeFileSync(statePath, `${JSON.stringify({ key: keyText, checkpoint: note, savedAt: new Date().toISOString() }, null, 2)}\n`);
    console.log(`\nChecked checkpoint saved in ${statePath}.`);
  }
}

try {
  await main();
  const ok = results.length > 0 && results.every(Boolean);
  console.log(ok ? "\nThe public record is verified." : "\nVERIFICATION FAILED: do not trust this record.");
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(error instanceof Unreadable ? error.message : `Could not check the record: ${error.message}`);
  process.exitCode = 2;
}
