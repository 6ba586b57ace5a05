import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDocument } from "../../src/transparency/jws";
import { communityWithToken, validCampaign, campaignsApi } from "../api/client";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

describe.each(databaseKinds)("community governance (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let steward: string;
  let moderator: string;
  let otherSteward: string;
  let peer: Peer;
  let zoe: string;
  let ana: string;

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
    peer = await startPeer({ usernames: ["zoe", "ana"] });
    [zoe, ana] = [`@zoe@${peer.host}`, `@ana@${peer.host}`];
    ensemble = await startTestEnsemble(kind);
    const { community, token } = await communityWithToken(ensemble, "climat");
    steward = token;
    const { issueToken } = await import("../../src/domain/tokens");
    moderator = await issueToken(ensemble.services.db, ensemble.origin, community, {
      role: "moderator",
      label: "mod-token",
    });
    otherSteward = (await communityWithToken(ensemble, "velo")).token;
  });
  afterAll(async () => {
    await ensemble?.stop();
    await peer?.close();
  });

  it("lets only this community's stewards appoint, remove and set rules", async () => {
    expect((await api(moderator, "POST", "/roles", { actor: zoe, role: "moderator" })).status).toBe(403);
    expect((await api(otherSteward, "POST", "/roles", { actor: zoe, role: "moderator" })).status).toBe(403);
    expect((await api(undefined, "PUT", "/rules", { text: "Be kind." })).status).toBe(401);
    expect((await api(moderator, "PUT", "/rules", { text: "Be kind." })).status).toBe(403);

    const appointed = await api(steward, "POST", "/roles", { actor: zoe, role: "moderator" });
    expect(appointed.status).toBe(201);
    const role = await appointed.json();
    // the handle was resolved through WebFinger: the role names the actor's IRI
    expect(role).toMatchObject({ actor: peer.actorUrl("zoe"), handle: zoe, role: "moderator", appointedBy: "steward" });
    expect((await api(steward, "POST", "/roles", { actor: zoe.slice(1), role: "moderator" })).status).toBe(409);
    expect((await api(steward, "POST", "/roles", { actor: ana, role: "steward" })).status).toBe(201);
    expect((await api(steward, "POST", "/roles", { actor: "x", role: "king" })).status).toBe(422);

    expect((await api(steward, "PUT", "/rules", { text: "1. Be kind." })).status).toBe(200);
    const rules = await (await api(steward, "PUT", "/rules", { text: "1. Be kind.\n2. No spam." })).json();
    expect(rules.version).toBe(2);

    expect((await api(moderator, "DELETE", `/roles/${role.id}`)).status).toBe(403);
    expect((await api(steward, "DELETE", `/roles/${role.id}`)).status).toBe(204);
    expect((await api(steward, "DELETE", `/roles/${role.id}`)).status).toBe(404);

    const view = await (await api(moderator, "GET")).json();
    expect(view.roles.map((r: { handle: string }) => r.handle)).toEqual([ana]);
    expect(view.roles[0].id).toEqual(expect.any(String));
    expect(view.acts.map((a: { type: string }) => a.type)).toEqual([
      "role-appointed",
      "role-appointed",
      "rules-set",
      "rules-set",
      "role-removed",
    ]);
  });

  it("refuses, with a 422 naming the field, a role for anything but a real fediverse account", async () => {
    const before = (await (await api(steward, "GET")).json()).acts.length;
    for (const actor of ["zoe", `@nobody@${peer.host}`, "@zoe@127.0.0.1:1", "https://example.org/users/zoe"]) {
      const res = await api(steward, "POST", "/roles", { actor, role: "moderator" });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = await res.json();
      expect(problem.errors[0].field).toBe("actor");
      expect(problem.errors[0].message).toMatch(
        actor === "zoe" || actor.startsWith("https")
          ? /not a fediverse account: write it as @name@server/
          : /No account @.* was found/,
      );
    }
    // nothing was recorded
    expect((await (await api(steward, "GET")).json()).acts.length).toBe(before);
  });

  it("names an account by the handle asked for when its server claims one on another host", async () => {
    const { createServer } = await import("node:http");
    const liar = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/jrd+json" }).end(
        JSON.stringify({
          subject: "acct:boss@elsewhere.example",
          links: [{ rel: "self", type: "application/activity+json", href: peer.actorUrl("zoe") }],
        }),
      );
    });
    await new Promise<void>((r) => liar.listen(0, "127.0.0.1", r));
    try {
      const host = `127.0.0.1:${(liar.address() as { port: number }).port}`;
      const res = await api(steward, "POST", "/roles", { actor: `@someone@${host}`, role: "steward" });
      expect(res.status).toBe(201);
      const role = await res.json();
      expect(role).toMatchObject({ actor: peer.actorUrl("zoe"), handle: `@someone@${host}` });
      expect((await api(steward, "DELETE", `/roles/${role.id}`)).status).toBe(204);
    } finally {
      await new Promise((r) => liar.close(r));
    }
  });

  it("records a closed campaign as an act", async () => {
    const campaigns = campaignsApi(ensemble, "climat", steward);
    const { id } = await (await campaigns("POST", "", validCampaign())).json();
    expect((await campaigns("POST", `/${id}/publish`)).status).toBe(200);
    expect((await campaigns("POST", `/${id}/close`, { outcome: "Done." })).status).toBe(200);
    const view = await (await api(steward, "GET")).json();
    expect(view.acts.at(-1)).toMatchObject({ type: "campaign-closed", document: { campaign: id, outcome: "Done." } });
  });

  it("publishes the governance page and its signed JSON from the record, each act in a sentence", async () => {
    const page = await (await fetch(`${ensemble.origin}/communities/climat/governance`)).text();
    // current holders name the account, linked to its actor; whoever signs acts is listed too
    expect(page).toContain(`<a href="${peer.actorUrl("ana")}">ana (${ana})</a>, steward since`);
    expect(page).toContain("appointed by steward");
    expect(page).toMatch(/Acting under a steward token[\s\S]*<strong>steward<\/strong>: 8 acts, the latest on/);
    expect(page).toContain("No spam.");
    expect(page).toContain("Earlier versions");
    expect(page).toContain(
      `<strong>steward</strong> appointed <a href="${peer.actorUrl("zoe")}">zoe (${zoe})</a> as moderator.`,
    );
    expect(page).toContain(
      `<strong>steward</strong> removed <a href="${peer.actorUrl("zoe")}">${zoe}</a> from the role of moderator.`,
    );
    expect(page).toContain("<strong>steward</strong> set the rules (version 2).");
    expect(page).toContain(
      "<strong>steward</strong> closed the campaign <q>Vélo au travail</q>. Outcome: <q>Done.</q>",
    );
    expect(page).not.toContain("campaign-closed");
    expect(page).toMatch(/<a href="\/transparency\?before=1#entry-0">record 0<\/a>/);
    expect(page).toContain('<a href="/transparency">public record</a>');

    // A French reader gets the page, and every act, in French; rules and names stay as recorded.
    const fr = await fetch(`${ensemble.origin}/communities/climat/governance`, {
      headers: { "accept-language": "fr-FR,fr;q=0.9" },
    });
    expect(fr.headers.get("vary")).toContain("Accept-Language");
    const frPage = await fr.text();
    expect(frPage).toContain('<html lang="fr">');
    expect(frPage).toContain("Gouvernance de");
    expect(frPage).toContain("nommé·e par steward");
    expect(frPage).toContain("Versions précédentes");
    expect(frPage).toContain("No spam.");
    expect(frPage).toContain(
      `<strong>steward</strong> a nommé <a href="${peer.actorUrl("zoe")}">zoe (${zoe})</a> modérateur·rice.`,
    );
    expect(frPage).toContain("<strong>steward</strong> a fixé les règles (version 2).");
    expect(frPage).toContain(
      "<strong>steward</strong> a clos la campagne <q>Vélo au travail</q>. Bilan : <q>Done.</q>",
    );
    expect(frPage).toMatch(/<strong>steward<\/strong> : 8 actes, le dernier le/);
    expect(frPage).toMatch(/entrée \d+/);
    expect(frPage).not.toContain("Earlier versions");

    const { document, jws } = await (await fetch(`${ensemble.origin}/communities/climat/governance.json`)).json();
    const jwks = await (await fetch(`${ensemble.origin}/.well-known/jwks.json`)).json();
    expect((await verifyDocument(jws, jwks)).document).toEqual(document);
    expect(document.rules[0]).toMatchObject({ version: 2, setBy: "steward" });
    expect(document.roles).toEqual([
      expect.objectContaining({ actor: peer.actorUrl("ana"), handle: ana, role: "steward" }),
    ]);
    expect(document.signers).toEqual([expect.objectContaining({ name: "steward", acts: 8 })]);

    // each act in governance.json is its record entry, byte for byte
    for (const act of document.acts) {
      const record = await (await fetch(act.record)).json();
      expect(record.document).toEqual(act.document);
    }
    expect(document.acts[0].document).toMatchObject({
      type: "role-appointed",
      actor: peer.actorUrl("zoe"),
      handle: zoe,
      community: `${ensemble.origin}/communities/climat`,
    });
    expect((await fetch(`${ensemble.origin}/communities/nobody/governance`)).status).toBe(404);
  });

  it("shows what the record says even when the live tables say otherwise", async () => {
    const { sql } = await import("drizzle-orm");
    // a row changed behind the record's back does not reach the public page
    await ensemble.services.db.execute(sql`update community_rules set text = 'Forged rules.' where version = 2`);
    await ensemble.services.db.execute(sql`update community_roles set actor = 'https://forged.example/users/x'`);
    const page = await (await fetch(`${ensemble.origin}/communities/climat/governance`)).text();
    expect(page).not.toContain("Forged rules.");
    expect(page).not.toContain("forged.example");
    expect(page).toContain("No spam.");
  });
});
