import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDocument } from "../../src/transparency/jws";
import { communityWithToken, validCampaign, campaignsApi } from "../api/client";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";

describe.each(databaseKinds)("community governance (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let steward: string;
  let moderator: string;
  let otherSteward: string;

  const api = (token: string | undefined, method: string, path = "", body?: unknown) =>
    fetch(`${ensemble.origin}/api/v1/communities/climat/governance${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    const { community, token } = await communityWithToken(ensemble, "climat");
    steward = token;
    const { issueToken } = await import("../../src/domain/tokens");
    moderator = await issueToken(ensemble.services.db, ensemble.origin, community, { role: "moderator", label: "mod-token" });
    otherSteward = (await communityWithToken(ensemble, "velo")).token;
  });
  afterAll(async () => {
    await ensemble?.stop();
  });

  it("lets only this community's stewards appoint, remove and set rules", async () => {
    expect((await api(moderator, "POST", "/roles", { actor: "@zoe@example.org", role: "moderator" })).status).toBe(403);
    expect((await api(otherSteward, "POST", "/roles", { actor: "@zoe@example.org", role: "moderator" })).status).toBe(403);
    expect((await api(undefined, "PUT", "/rules", { text: "Be kind." })).status).toBe(401);
    expect((await api(moderator, "PUT", "/rules", { text: "Be kind." })).status).toBe(403);

    const appointed = await api(steward, "POST", "/roles", { actor: "@zoe@example.org", role: "moderator" });
    expect(appointed.status).toBe(201);
    const role = await appointed.json();
    expect(role).toMatchObject({ actor: "@zoe@example.org", role: "moderator", appointedBy: "steward" });
    expect((await api(steward, "POST", "/roles", { actor: "@zoe@example.org", role: "moderator" })).status).toBe(409);
    expect((await api(steward, "POST", "/roles", { actor: "@ana@example.org", role: "steward" })).status).toBe(201);
    expect((await api(steward, "POST", "/roles", { actor: "x", role: "king" })).status).toBe(422);

    expect((await api(steward, "PUT", "/rules", { text: "1. Be kind." })).status).toBe(200);
    const rules = await (await api(steward, "PUT", "/rules", { text: "1. Be kind.\n2. No spam." })).json();
    expect(rules.version).toBe(2);

    expect((await api(moderator, "DELETE", `/roles/${role.id}`)).status).toBe(403);
    expect((await api(steward, "DELETE", `/roles/${role.id}`)).status).toBe(204);
    expect((await api(steward, "DELETE", `/roles/${role.id}`)).status).toBe(404);

    const view = await (await api(moderator, "GET")).json();
    expect(view.roles.map((r: { actor: string }) => r.actor)).toEqual(["@ana@example.org"]);
    expect(view.acts.map((a: { type: string }) => a.type)).toEqual([
      "role-appointed",
      "role-appointed",
      "rules-set",
      "rules-set",
      "role-removed",
    ]);
  });

  it("records a closed campaign as an act", async () => {
    const campaigns = campaignsApi(ensemble, "climat", steward);
    const { id } = await (await campaigns("POST", "", validCampaign())).json();
    expect((await campaigns("POST", `/${id}/publish`)).status).toBe(200);
    expect((await campaigns("POST", `/${id}/close`, { outcome: "Done." })).status).toBe(200);
    const view = await (await api(steward, "GET")).json();
    expect(view.acts.at(-1)).toMatchObject({ type: "campaign-closed", payload: { campaign: id, outcome: "Done." } });
  });

  it("publishes the governance page, its signed JSON, and each act in the record", async () => {
    const page = await (await fetch(`${ensemble.origin}/communities/climat/governance`)).text();
    expect(page).toContain("@ana@example.org");
    expect(page).toContain("appointed by steward");
    expect(page).toContain("No spam.");
    expect(page).toContain("Earlier versions");
    expect(page).toMatch(/record \d+/);

    // A French reader gets the page in French; the recorded acts and rules stay as recorded.
    const fr = await fetch(`${ensemble.origin}/communities/climat/governance`, { headers: { "accept-language": "fr-FR,fr;q=0.9" } });
    expect(fr.headers.get("vary")).toContain("Accept-Language");
    const frPage = await fr.text();
    expect(frPage).toContain('<html lang="fr">');
    expect(frPage).toContain("Gouvernance de");
    expect(frPage).toContain("nommé·e par steward");
    expect(frPage).toContain("Versions précédentes");
    expect(frPage).toContain("No spam.");
    expect(frPage).toMatch(/entrée \d+/);
    expect(frPage).not.toContain("Earlier versions");

    const { document, jws } = await (await fetch(`${ensemble.origin}/communities/climat/governance.json`)).json();
    const jwks = await (await fetch(`${ensemble.origin}/.well-known/jwks.json`)).json();
    expect((await verifyDocument(jws, jwks)).document).toEqual(document);
    expect(document.rules[0]).toMatchObject({ version: 2 });

    const act = document.acts[0];
    const record = await (await fetch(act.record)).json();
    expect(record.document).toMatchObject({ type: "role-appointed", actor: "@zoe@example.org", community: `${ensemble.origin}/communities/climat` });
    expect((await fetch(`${ensemble.origin}/communities/nobody/governance`)).status).toBe(404);
  });
});
