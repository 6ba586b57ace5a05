// The steward console over plain HTTP: sign-in links, sessions and forms, as a browser (or an
// attacker) would send them. No JavaScript is involved anywhere.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/invites";
import { listCampaigns } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import { signingKey } from "../../src/domain/signing-keys";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";

describe("steward console over HTTP", () => {
  let ensemble: TestEnsemble;
  let community: Community;

  const get = (path: string, cookie = "", headers: Record<string, string> = {}) =>
    fetch(`${ensemble.origin}${path}`, { headers: { cookie, ...headers }, redirect: "manual" });
  const post = (
    path: string,
    form: Record<string, string | string[]>,
    cookie = "",
    headers: Record<string, string> = {},
  ) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
    return fetch(`${ensemble.origin}${path}`, {
      method: "POST",
      body,
      headers: { cookie, origin: ensemble.origin, "sec-fetch-site": "same-origin", ...headers },
      redirect: "manual",
    });
  };
  const link = async () =>
    new URL(`${ensemble.origin}/console/signin?token=${await createInvite(ensemble.services.db, "climat")}`);
  const signIn = async () => {
    const res = await post("/console/signin", { token: (await link()).searchParams.get("token")! });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).not.toMatch(/Secure/); // http origin in tests
    return cookie.split(";")[0];
  };
  const csrfOf = async (cookie: string) =>
    /name="csrf" value="([^"]+)"/.exec(await (await get("/console", cookie)).text())![1];

  beforeAll(async () => {
    ensemble = await startTestEnsemble("pglite");
    community = await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat Rouen" });
  });
  afterAll(async () => ensemble?.stop());

  it("signs in once with a link; a replayed link gets a clear page and no session", async () => {
    const url = await link();
    const token = url.searchParams.get("token")!;
    // opening the link only shows a button, so link scanners do not use it up
    expect((await get(url.pathname + url.search)).status).toBe(200);
    expect((await post("/console/signin", { token })).status).toBe(303);
    const replay = await post("/console/signin", { token });
    expect(replay.status).toBe(403);
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(await replay.text()).toContain("This sign-in link was already used");
    const unknown = await post("/console/signin", { token: "nope" });
    expect(await unknown.text()).toContain("This sign-in link does not work");
  });

  it("refuses a forged cookie and an expired session with a clear page", async () => {
    const forged = await get("/console", "ensemble_console=eyJhbGciOiJub25lIn0.eyJyb2xlIjoic3Rld2FyZCJ9.");
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain("Your session is not valid");

    const { privateKey } = await signingKey(ensemble.services.db, "tokens");
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = await new SignJWT({ role: "steward" })
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(ensemble.origin)
      .setAudience(`${ensemble.origin}/communities/climat`)
      .setSubject("console")
      .setIssuedAt(past)
      .setExpirationTime(past + 3600)
      .setJti("x")
      .sign(privateKey);
    const res = await post("/console/campaigns/new", { title: "x" }, `ensemble_console=${expired}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Your session has expired");
    expect(await listCampaigns(ensemble.services.db, community.id, { includeDrafts: true })).toHaveLength(0);
  });

  it("refuses a cross-site POST, and one without the session's token, changing nothing", async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const form = {
      csrf,
      title: "Attaque",
      steps: ["Un"],
      startsAt: "2030-01-01T10:00",
      endsAt: "2030-02-01T10:00",
      language: "fr",
      intent: "save",
    };
    const crossSite = await post("/console/campaigns/new", form, cookie, {
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("Nothing was changed");
    const noToken = await post("/console/campaigns/new", { ...form, csrf: "forged" }, cookie);
    expect(noToken.status).toBe(403);
    expect(await listCampaigns(ensemble.services.db, community.id, { includeDrafts: true })).toHaveLength(0);
    // the same form, from the console itself, works
    expect((await post("/console/campaigns/new", form, cookie)).status).toBe(303);
    expect(await listCampaigns(ensemble.services.db, community.id, { includeDrafts: true })).toHaveLength(1);
  });

  it("shows each field's error next to it, in the reader's language", async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const form = {
      csrf,
      title: "",
      steps: ["A", "x".repeat(51), "", "A"],
      startsAt: "2030-02-01T10:00",
      endsAt: "2030-01-01T10:00",
      language: "fr",
      goal: "-3",
      intent: "save",
    };
    const res = await post("/console/campaigns/new", form, cookie);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(
      /<input[^>]*id="f-title"[^>]*aria-describedby="e-title"|aria-describedby="e-title"[^>]*id="f-title"/,
    );
    expect(html).toContain('id="e-title">A campaign needs a title');
    expect(html).toContain('id="e-step-1">A step is at most 50 characters');
    expect(html).toContain('id="e-goal">A whole number above 0');
    const fr = await post("/console/campaigns/new", form, `${cookie}; lang=fr`);
    expect(await fr.text()).toContain("Une campagne a besoin d&#39;un titre");
    const accept = await get("/console/campaigns/new", cookie, { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" });
    expect(await accept.text()).toContain("Nouvelle campagne");
  });

  it("signs out: the cookie is cleared and its token revoked, and signing out needs the session's token too", async () => {
    const cookie = await signIn();
    expect((await post("/console/signout", { csrf: "forged" }, cookie)).status).toBe(403);
    const res = await post("/console/signout", { csrf: await csrfOf(cookie) }, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/^ensemble_console=;.*Max-Age=0.*Path=\/console/i);
    expect(await res.text()).toContain("You are signed out");
    const without = await get("/console");
    expect(without.status).toBe(401);
    expect(await without.text()).toContain("You are not signed in");
    // a copy of the cookie kept from before no longer opens the console
    const replayed = await get("/console", cookie);
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).toContain("This session was signed out");
  });

  it("previews the post as Mastodon shows it, without saving", async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const before = (await listCampaigns(ensemble.services.db, community.id, { includeDrafts: true })).length;
    const form = {
      csrf,
      title: "Vélo",
      description: "Venir **à vélo**",
      steps: ["Signer", "Venir"],
      startsAt: "2030-01-01T10:00",
      endsAt: "2030-02-01T10:00",
      language: "fr",
      hashtags: "velo",
      intent: "preview",
    };
    const html = await (await post("/console/campaigns/new", form, cookie)).text();
    expect(html).toContain("Preview on Mastodon");
    expect(html).toContain("<strong>à vélo</strong>");
    expect(html).toMatch(/class="option" role="listitem">Signer/);
    expect(html).toContain("#velo");
    expect((await listCampaigns(ensemble.services.db, community.id, { includeDrafts: true })).length).toBe(before);
  });
});
