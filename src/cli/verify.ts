// `ensemble verify <record URL>`: an auditor's check of one published document, from what the
// server serves and nothing else, trusting on first use: the first checkpoint seen for a log is
// pinned, and every later run must be shown (by a consistency proof) to extend it.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { JSONWebKeySet } from "jose";
import { decodeBase64 } from "../transparency/bytes";
import { audit, type AuditInput } from "../transparency/verify";

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Pinned checkpoints by log origin. */
type Pins = Record<string, { checkpoint: string; pinnedAt: string }>;

export function pinsPath(env: NodeJS.ProcessEnv): string {
  return env.ENSEMBLE_PINS || join(homedir(), ".config", "ensemble", "pins.json");
}

export async function verifyCommand(args: string[], io: Io): Promise<number> {
  if (args.length !== 1 || !/^https?:\/\//.test(args[0])) {
    io.stderr.write("Usage: ensemble verify <record URL>, such as https://example.org/transparency/records/0\n");
    return 2;
  }
  let url: URL;
  try {
    url = new URL(args[0]);
  } catch {
    io.stderr.write(`${JSON.stringify(args[0])} is not a web address.\n`);
    return 2;
  }
  try {
    return await verifyRecord(url, io);
  } catch (e) {
    if (!(e instanceof UnreadableServer)) throw e;
    io.stderr.write(
      `${e.message}\nNothing was checked. The address should be a record's, such as https://example.org/transparency/records/0.\n`,
    );
    return 2;
  }
}

/** The server did not serve what an Ensemble server serves: unreachable, an error status, or not JSON. */
class UnreadableServer extends Error {}

async function get(base: URL, path: string, as: "json" | "text"): Promise<unknown> {
  const target = new URL(path, base).href;
  let res: Response;
  try {
    res = await fetch(target);
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
    throw new UnreadableServer(`Could not reach ${target}: ${cause}.`);
  }
  if (!res.ok)
    throw new UnreadableServer(
      `${target} answered HTTP ${res.status}${res.status === 404 ? ": is this an Ensemble record address?" : "."}`,
    );
  const text = await res.text();
  if (as === "text") return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableServer(
      `${target} did not answer JSON (it starts with ${JSON.stringify(text.slice(0, 40))}): is this an Ensemble record address?`,
    );
  }
}

async function verifyRecord(url: URL, io: Io): Promise<number> {
  const record = (await get(url, url.pathname, "json")) as { index?: unknown; jws?: unknown };
  if (typeof record?.index !== "number" || typeof record.jws !== "string") {
    throw new UnreadableServer(`${url.href} is not a record: it has no index and jws.`);
  }
  const { index, jws } = record as { index: number; jws: string };
  const jwks = (await get(url, "/.well-known/jwks.json", "json")) as JSONWebKeySet;
  const checkpoint = (await get(url, "/transparency/checkpoint", "text")) as string;
  const verifierKey = ((await get(url, "/transparency/key", "text")) as string).trim();
  // The size is read unverified only to ask for proofs; audit() checks the signature.
  const size = checkpointSize(checkpoint);
  const inclusion = (await get(url, `/transparency/proofs/inclusion?index=${index}&size=${size}`, "json")) as {
    proof: string[];
  };

  const file = pinsPath(io.env);
  const pins = readPins(file);
  const log = url.host;
  const pin = pins[log];
  let pinned: AuditInput["pinned"];
  if (pin) {
    const from = checkpointSize(pin.checkpoint);
    // A smaller log cannot prove anything about a larger pin; audit() reports the rollback.
    const proof =
      from <= size
        ? ((await get(url, `/transparency/proofs/consistency?from=${from}&to=${size}`, "json")) as { proof: string[] })
            .proof
        : [];
    pinned = { checkpoint: pin.checkpoint, consistencyProof: proof.map(decodeBase64) };
  }

  const checks = await audit({
    jws,
    jwks,
    checkpoint,
    verifierKey,
    inclusion: { leafIndex: index, treeSize: size, proof: inclusion.proof.map(decodeBase64) },
    pinned,
  });
  for (const check of checks) io.stdout.write(`${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}\n`);
  const ok = checks.every((check) => check.ok);
  if (ok) {
    // Pin the newest checkpoint seen, so the next run checks the log never forgets this one.
    pins[log] = { checkpoint, pinnedAt: new Date().toISOString() };
    writePins(file, pins);
    io.stdout.write(
      pin ? `Pinned checkpoint updated in ${file}.\n` : `First use: checkpoint of ${log} pinned in ${file}.\n`,
    );
  }
  io.stdout.write(ok ? "Record verified.\n" : "Verification FAILED.\n");
  return ok ? 0 : 1;
}

function checkpointSize(note: string): number {
  const size = Number(note.split("\n")[1]);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new Error("the checkpoint is malformed: no tree size on its second line");
  return size;
}

function readPins(file: string): Pins {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Pins;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`cannot read pinned checkpoints from ${file}: ${(e as Error).message}`);
  }
}

function writePins(file: string, pins: Pins): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(pins, null, 2)}\n`);
}
