import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingKey } from "../../src/domain/signing-keys";
import { communityAudience } from "../../src/domain/tokens";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { campaignsApi, communityWithToken, validCampaign } from "./client";

describe.each(databaseKinds)("Steward API tokens (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let steward: string;
  let moderator: string;
  let otherSteward: string;

  /** A token as a client could make one, with claims and key of the test's choosing. */
  async function handMade(opts: { key?: CryptoKey; exp?: number; iss?: string; role?: string } = {}) {
    const key = opts.key ?? (await signingKey(ensemble.services.db, "tokens")).privateKey;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: opts.role ?? "steward" })
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(opts.iss ?? ensemble.origin)
      .setAudience(communityAudience(ensemble.origin, "climat"))
      .setSubject("test")
      .setJti("t1")
      .setIssuedAt(now - 3600)
      .setExpirationTime(opts.exp ?? now + 3600)
      .sign(key);
  }

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    steward = (await communityWithToken(ensemble, "climat")).token;
    otherSteward = (await communityWithToken(ensemble, "velo")).token;
    ({ token: moderator } = await communityWithToken(ensemble, "jardin", { role: "moderator" }));
  });
  afterAll(async () => {
    await ensemble?.stop();
  });

  const expectProblem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = await res.json();
    expect(body.status).toBe(status);
    return body;
  };

  it("accepts a steward token for its own community", async () => {
    const res = await campaignsApi(ensemble, "climat", steward)("GET");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ campaigns: [] });
  });

  it("answers 401 without a token, with a Bearer challenge", async () => {
    const res = await campaignsApi(ensemble, "climat")("GET");
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("answers 401 to a malformed token, and to one that is not a Bearer token", async () => {
    await expectProblem(await campaignsApi(ensemble, "climat", "not-a-jwt")("GET"), 401);
    const basic = await campaignsApi(ensemble, "climat")("GET", "", undefined, { authorization: `Basic ${steward}` });
    await expectProblem(basic, 401);
  });

  it("answers 401 to an expired token", async () => {
    const expired = await handMade({ exp: Math.floor(Date.now() / 1000) - 60 });
    const body = await expectProblem(await campaignsApi(ensemble, "climat", expired)("GET"), 401);
    expect(body.detail).toContain("expired");
  });

  it("answers 401 to a token signed by another key", async () => {
    const { privateKey } = await generateKeyPair("EdDSA");
    await expectProblem(await campaignsApi(ensemble, "climat", await handMade({ key: privateKey }))("GET"), 401);
  });

  it("answers 401 to an unsigned token and to one from another issuer", async () => {
    const [, payload] = (await handMade()).split(".");
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    await expectProblem(await campaignsApi(ensemble, "climat", unsigned)("GET"), 401);
    await expectProblem(
      await campaignsApi(ensemble, "climat", await handMade({ iss: "https://elsewhere.example" }))("GET"),
      401,
    );
  });

  it("answers 401 to a genuine signature over an unknown role", async () => {
    await expectProblem(await campaignsApi(ensemble, "climat", await handMade({ role: "admin" }))("GET"), 401);
  });

  it("answers 403 to a genuine token of another community, reading or writing", async () => {
    const api = campaignsApi(ensemble, "climat", otherSteward);
    await expectProblem(await api("GET"), 403);
    await expectProblem(await api("POST", "", validCampaign()), 403);
    // and does not reveal whether a community exists
    await expectProblem(await campaignsApi(ensemble, "nowhere", otherSteward)("GET"), 403);
  });

  it("lets a moderator read but not create", async () => {
    const api = campaignsApi(ensemble, "jardin", moderator);
    expect((await api("GET")).status).toBe(200);
    const body = await expectProblem(await api("POST", "", validCampaign()), 403);
    expect(body.detail).toContain("steward");
  });
});
