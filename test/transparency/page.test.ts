import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalize } from "../../src/transparency/canonical";
import { publishRecord } from "../../src/transparency/record";
import { campaignsApi, communityWithToken, validCampaign } from "../api/client";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, tempDir, type TestEnsemble } from "../helpers/ensemble";
import { root } from "../helpers/process";

/** Runs the verifier as an auditor would: the file downloaded from the server, run by plain `node`, in a folder of its own. */
function runVerifier(
  script: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(databaseKinds)("the public record page and its verifier (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let notEnsemble: Server;
  const dir = tempDir("ensemble-auditor-");
  const script = join(dir.path, "verify.mjs");
  const verify = (...args: string[]) => runVerifier(script, [ensemble.origin, ...args], dir.path);

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    const { token } = await communityWithToken(ensemble, "climat");
    const rules = await fetch(`${ensemble.origin}/api/v1/communities/climat/governance/rules`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "1. Be kind." }),
    });
    expect(rules.status).toBe(200);
    const campaigns = campaignsApi(ensemble, "climat", token);
    const { id } = await (await campaigns("POST", "", validCampaign({ title: "Vélo au travail" }))).json();
    await campaigns("POST", `/${id}/publish`);
    expect((await campaigns("POST", `/${id}/close`, { outcome: "120 venus." })).status).toBe(200);
    notEnsemble = createServer((_req, res) =>
      res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not here</h1>"),
    );
    await new Promise<void>((r) => notEnsemble.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    await ensemble?.stop();
    await new Promise((r) => notEnsemble?.close(r));
    dir.remove();
  });

  it("shows each entry in words, its checked status, its proof and the signed checkpoint, in the reader's language", async () => {
    const res = await fetch(`${ensemble.origin}/transparency`);
    expect(res.status).toBe(200);
    const page = await res.text();
    const key = (await (await fetch(`${ensemble.origin}/transparency/key`)).text()).trim();
    expect(page).toContain("<h1>Public record</h1>");
    expect(page).toContain(`Latest signed checkpoint: 2 entries`);
    expect(page).toContain(`Its signature is valid for the record key <code>${key}</code>`);
    expect(page).toContain("<strong>steward</strong> set the rules (version 1).");
    expect(page).toContain(
      "<strong>steward</strong> closed the campaign <q>Vélo au travail</q>. Outcome: <q>120 venus.</q>",
    );
    expect(page).toContain(`community <a href="${ensemble.origin}/communities/climat">climat</a>`);
    expect(page.match(/✓ signed, and included in the checkpoint/g)).toHaveLength(2);
    expect(page).toContain('<a href="/transparency/proofs/inclusion?index=0&amp;size=2">inclusion proof (JSON)</a>');
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)|<style|style="/); // nothing of ours inline beyond the shared layout
    // the proof the page links to is a real one
    const proof = await (await fetch(`${ensemble.origin}/transparency/proofs/inclusion?index=0&size=2`)).json();
    expect(proof.proof).toHaveLength(1);

    const fr = await (await fetch(`${ensemble.origin}/transparency`, { headers: { "accept-language": "fr" } })).text();
    expect(fr).toContain("<h1>Registre public</h1>");
    expect(fr).toContain("<strong>steward</strong> a fixé les règles (version 1).");
    expect(fr).toContain(
      "<strong>steward</strong> a clos la campagne <q>Vélo au travail</q>. Bilan : <q>120 venus.</q>",
    );
    expect(fr).toContain("✓ signée, et incluse dans le point de contrôle");
    expect((await fetch(`${ensemble.origin}/transparency?before=x`)).status).toBe(400);
  });

  it("serves the verifier with the SHA-256 that the page and the README publish", async () => {
    const res = await fetch(`${ensemble.origin}/transparency/verify.mjs`);
    expect(res.headers.get("content-type")).toContain("text/javascript");
    const source = await res.text();
    writeFileSync(script, source);
    const sha = createHash("sha256").update(source).digest("hex");
    expect(await (await fetch(`${ensemble.origin}/transparency`)).text()).toContain(`<code>${sha}</code>`);
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(sha);
    // dependency-free: only Node built-ins
    expect([...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]).every((m) => m.startsWith("node:"))).toBe(true);
  });

  it("verifies a good record with plain node, then checks that it only grows", async () => {
    const key = (await (await fetch(`${ensemble.origin}/transparency/key`)).text()).trim();
    const first = await verify("--pin", key);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("✓ The server's record key is the one you pinned");
    expect(first.stdout).toContain("✓ The latest checkpoint is signed by the record key: 2 entries");
    expect(first.stdout).toContain("✓ All 2 entries are signed with the published key.");
    expect(first.stdout).toContain("✓ Every entry is included in the checkpoint");
    expect(first.stdout).toContain("The public record is verified.");
    expect(first.code).toBe(0);

    await publishRecord(ensemble.services, (_tx, append) => append({ type: "test-act", n: 2 }));
    const second = await verify();
    expect(second.stdout).toContain("✓ The server's record key is the one saved in");
    expect(second.stdout).toMatch(
      /✓ The record extends the one you checked on .* \(2 entries\): no past entry was changed\./,
    );
    expect(second.code).toBe(0);
  });

  it("fails in words once a past entry is rewritten, on the page and in the verifier", async () => {
    const forged = canonicalize({
      type: "rules-set",
      community: `${ensemble.origin}/communities/climat`,
      at: new Date().toISOString(),
      version: 1,
      text: "1. Anything goes.",
      setBy: "steward",
    });
    await ensemble.services.db.execute(sql`update log_leaves set data = convert_to(${forged}, 'UTF8') where index = 0`);

    const page = await (await fetch(`${ensemble.origin}/transparency`)).text();
    expect(page).toMatch(/id="entry-0"[\s\S]*✗ does NOT verify: this entry is not what the checkpoint commits to/);
    expect(page.match(/✓ signed, and included/g)).toHaveLength(2);

    const result = await verify();
    expect(result.stdout).toContain(
      "✗ 1 entry is NOT what the checkpoint commits to: 0. The record was changed after it was signed.",
    );
    expect(result.stdout).toContain("✗ The root hash recomputed from the entries served differs from the signed one");
    expect(result.stdout).toContain("VERIFICATION FAILED");
    expect(result.code).toBe(1);
  });

  it("says clearly when the address is wrong", async () => {
    const other = `http://127.0.0.1:${(notEnsemble.address() as AddressInfo).port}`;
    const notFound = await runVerifier(script, [other], dir.path);
    expect(notFound.stderr).toContain(
      `${other}/transparency/key answered HTTP 404: is this the address of an Ensemble server?`,
    );
    expect(notFound.code).toBe(2);
    const garbage = await runVerifier(script, ["not a url"], dir.path);
    expect(garbage.stderr).toContain('"not a url" is not a web address.');
    expect(garbage.code).toBe(2);
    const closed = await runVerifier(script, ["http://127.0.0.1:1"], dir.path);
    expect(closed.stderr).toMatch(/Could not reach http:\/\/127\.0\.0\.1:1\/transparency\/key: .*Check the address\./);
    expect(closed.code).toBe(2);
  });

  it("pages through the record, newest first, 50 entries a page", async () => {
    for (let n = 0; n < 50; n++)
      await publishRecord(ensemble.services, (_tx, append) => append({ type: "test-act", n }));
    const size = Number((await (await fetch(`${ensemble.origin}/transparency/checkpoint`)).text()).split("\n")[1]);
    expect(size).toBeGreaterThan(50);
    const first = await (await fetch(`${ensemble.origin}/transparency`)).text();
    expect(first.match(/<li id="entry-/g)).toHaveLength(50);
    expect(first).toContain(`Entries ${size - 50} to ${size - 1} of ${size}`);
    expect(first).toContain(`id="entry-${size - 1}"`);
    expect(first).not.toContain(`id="entry-${size - 51}"`);
    expect(first).toContain(`<a href="/transparency?before=${size - 50}">Older entries</a>`);
    expect(first).not.toContain("Newer entries");
    const older = await (await fetch(`${ensemble.origin}/transparency?before=${size - 50}`)).text();
    expect(older.match(/<li id="entry-/g)).toHaveLength(size - 50);
    expect(older).toContain(`<a href="/transparency?before=${size}">Newer entries</a>`);
    expect(older).not.toContain("Older entries");
    // an entry's own link (as the governance page makes them) starts its page with it
    expect(await (await fetch(`${ensemble.origin}/transparency?before=1`)).text()).toMatch(
      /<ul class="entries"><li id="entry-0" class="entry/,
    );
  });
});
