import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../src/domain/communities";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, tempDir, type TestEnsemble } from "../helpers/ensemble";
import { runCli } from "../helpers/process";
import { campaignsApi } from "./client";

describe.each(databaseKinds)("ensemble steward token (%s)", (kind) => {
  // a real folder, so that the CLI finds the running server through its lock file
  const dir = tempDir();
  let ensemble: TestEnsemble;
  let env: Record<string, string>;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind, { ENSEMBLE_DATA_DIR: dir.path });
    await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat Rouen" });
    env = {
      ENSEMBLE_ORIGIN: ensemble.origin,
      ENSEMBLE_DATA_DIR: dir.path,
      DATABASE_URL: ensemble.config.databaseUrl ?? "",
      LOG_LEVEL: "error",
    };
  });
  afterAll(async () => {
    await ensemble?.stop();
    dir.remove();
  });

  it("prints a steward token that the API accepts", async () => {
    const { code, stdout, stderr } = await runCli(["steward", "token", "climat"], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const token = stdout.trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: ensemble.origin,
      aud: `${ensemble.origin}/communities/climat`,
      sub: "steward",
      role: "steward",
    });
    expect(claims.exp! - claims.iat!).toBe(30 * 86_400);
    const res = await campaignsApi(ensemble, "climat", token)("POST", "", {
      title: "Depuis la CLI",
      steps: ["Une étape"],
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2026-02-01T00:00:00Z",
    });
    expect(res.status).toBe(201);
  });

  it("takes a role, a lifetime and a label", async () => {
    const args = ["steward", "token", "climat", "--role", "moderator", "--expires", "12h", "--label", "alice"];
    const { code, stdout } = await runCli(args, env);
    expect(code).toBe(0);
    const token = stdout.trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ role: "moderator", sub: "alice" });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    const api = campaignsApi(ensemble, "climat", token);
    expect((await api("GET")).status).toBe(200);
    expect((await api("POST", "", {})).status).toBe(403);
  });

  it("fails clearly for an unknown community or a bad option", async () => {
    const unknown = await runCli(["steward", "token", "nowhere"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('No community with the handle "nowhere"');

    const bad = await runCli(["steward", "token", "climat", "--role", "admin", "--expires", "10y"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("role: the role is steward or moderator");
    expect(bad.stderr).toContain("expires: a duration such as 30d, 12h or 90m");
  });

  it("revokes a token: the API refuses it from then on", async () => {
    const token = (await runCli(["steward", "token", "climat"], env)).stdout.trim();
    const api = campaignsApi(ensemble, "climat", token);
    expect((await api("GET")).status).toBe(200);
    const revoked = await runCli(["steward", "revoke", token], env);
    expect(revoked.code).toBe(0);
    const res = await api("GET");
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("The token has been revoked.");
    const again = await runCli(["steward", "revoke", "not-a-token"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("The token is not valid. Nothing to revoke.");
  });
});
