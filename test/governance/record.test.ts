import { sql } from "drizzle-orm";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "../../src/reports/rollups/db";
import { canonicalize } from "../../src/transparency/canonical";
import type { RecordDocument } from "../../src/transparency/jws";
import { publishRecord } from "../../src/transparency/record";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, tempDir, type TestEnsemble } from "../helpers/ensemble";
import { runCli } from "../helpers/process";

type RecordServices = Parameters<typeof publishRecord>[0];
const publish = (services: RecordServices, document: RecordDocument) =>
  publishRecord(services, (_tx, append) => append(document));

describe.each(databaseKinds)("the verifiable public record (%s)", (kind) => {
  let ensemble: TestEnsemble;
  const pins = tempDir("ensemble-pins-");
  const env = () => ({ ENSEMBLE_PINS: join(pins.path, "pins.json") });
  const verify = (index: number) => runCli(["verify", `${ensemble.origin}/transparency/records/${index}`], env());

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    for (const n of [0, 1, 2]) {
      const { index } = await publish(ensemble.services, { type: "test-act", n, note: `act ${n}` });
      expect(index).toBe(n);
    }
  });
  afterAll(async () => {
    await ensemble?.stop();
    pins.remove();
  });

  it("serves checkpoint, keys, records and proofs", async () => {
    const checkpoint = await (await fetch(`${ensemble.origin}/transparency/checkpoint`)).text();
    expect(checkpoint.split("\n").slice(0, 2)).toEqual([new URL(ensemble.origin).host, "3"]);
    const key = await (await fetch(`${ensemble.origin}/transparency/key`)).text();
    expect(key.startsWith(`${new URL(ensemble.origin).host}+`)).toBe(true);
    const jwks = await (await fetch(`${ensemble.origin}/.well-known/jwks.json`)).json();
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    const record = await (await fetch(`${ensemble.origin}/transparency/records/1`)).json();
    expect(record).toMatchObject({ index: 1, document: { type: "test-act", n: 1 } });
    const proof = await (await fetch(`${ensemble.origin}/transparency/proofs/inclusion?index=1&size=3`)).json();
    expect(proof.proof).toHaveLength(2);
    expect((await fetch(`${ensemble.origin}/transparency/proofs/inclusion?index=3&size=3`)).status).toBe(400);
    expect((await fetch(`${ensemble.origin}/transparency/records/99`)).status).toBe(404);
  });

  it("verifies a record with the CLI, pinning the checkpoint, then checks consistency", async () => {
    const first = await verify(1);
    expect(first.stdout).toContain("✓ document signature");
    expect(first.stdout).toContain("✓ inclusion in the log: document is leaf 1 of the log of 3 entries");
    expect(first.stdout).toContain("First use");
    expect(first.code).toBe(0);

    await publish(ensemble.services, { type: "test-act", n: 3 });
    const second = await verify(0);
    expect(second.stdout).toContain(
      "✓ consistency with the pinned checkpoint: the log at 4 entries extends the checkpoint you pinned at 3 entries",
    );
    expect(second.code).toBe(0);
  });

  it("says in words, not a JSON parse error, when the address is not a record", async () => {
    const page = await runCli(["verify", `${ensemble.origin}/`], env());
    expect(page.stderr).toContain(`${ensemble.origin}/ did not answer JSON (it starts with "<`);
    expect(page.stderr).toContain("Nothing was checked.");
    expect(page.stderr).not.toMatch(/SyntaxError|Unexpected token/);
    expect(page.code).toBe(2);
    const missing = await runCli(["verify", `${ensemble.origin}/transparency/records/999`], env());
    expect(missing.stderr).toContain("answered HTTP 404: is this an Ensemble record address?");
    expect(missing.code).toBe(2);
  });

  it("commits a record with the change it documents, or neither", async () => {
    const leaves = async () =>
      (await query<{ n: number }>(ensemble.services.db, sql`select count(*)::int as n from log_leaves`))[0].n;
    const checkpoint = () => fetch(`${ensemble.origin}/transparency/checkpoint`).then((r) => r.text());
    const before = { leaves: await leaves(), checkpoint: await checkpoint() };
    const failing = publishRecord(ensemble.services, async (tx, append) => {
      await tx.execute(sql`create table record_probe (n int)`);
      await append({ type: "test-act", n: 99 });
      throw new Error("crash after the append");
    });
    await expect(failing).rejects.toThrow("crash after the append");
    expect(await leaves()).toEqual(before.leaves);
    expect(await checkpoint()).toBe(before.checkpoint);
    const [probe] = await query<{ t: string | null }>(
      ensemble.services.db,
      sql`select to_regclass('record_probe')::text as t`,
    );
    expect(probe.t).toBeNull();
  });

  it("fails, saying why, once a past leaf is rewritten in the database", async () => {
    const forged = canonicalize({ type: "test-act", n: 1, note: "something else entirely" });
    await ensemble.services.db.execute(sql`update log_leaves set data = convert_to(${forged}, 'UTF8') where index = 1`);
    const result = await verify(1);
    expect(result.stdout).toContain("✗ inclusion in the log: document is not leaf 1 of the log of 4 entries");
    expect(result.stdout).toContain("Verification FAILED");
    expect(result.code).toBe(1);
  });
});

describe.each(databaseKinds.filter((k) => k === "postgres"))("the public record across processes (%s)", (kind) => {
  it("appends from two logs over one database without losing a leaf", async () => {
    const ensemble = await startTestEnsemble(kind);
    try {
      const { openDatabase } = await import("../../src/db/database");
      // a second process's view: another connection pool, hence another log instance
      const other = await openDatabase({
        databaseUrl: ensemble.config.databaseUrl,
        dataDir: ensemble.config.dataDir,
        poolSize: 2,
      });
      try {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, n) =>
            publish(n % 2 ? ensemble.services : { db: other.db, config: ensemble.config }, { type: "test-act", n }),
          ),
        );
        expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        const checkpoint = await (await fetch(`${ensemble.origin}/transparency/checkpoint`)).text();
        expect(checkpoint.split("\n")[1]).toBe("8");
      } finally {
        await other.close();
      }
    } finally {
      await ensemble.stop();
    }
  });
});
