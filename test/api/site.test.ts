// The public site as a visitor meets it over HTTP: one header and footer on every page, the
// language switch, joining from one's own server, hashtags, reply authors, dates, and the static
// files a strict CSP needs. Browser checks (clicking, phone width) are in test/site/browser.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/invites";
import { formatDay } from "../../src/site/pages/dates";
import { interactionUrl, parseRemoteAccount } from "../../src/domain/remote-interaction";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { campaignsApi, communityWithToken, validCampaign } from "./client";
import { findInboundNote } from "../../src/domain/notes";

const HTML = { accept: "text/html" };
const AS = "https://www.w3.org/ns/activitystreams";

/** A fediverse server that only answers WebFinger, with a subscribe template, and records who asked. */
async function startTemplateServer(): Promise<{ host: string; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  let origin = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname !== "/.well-known/webfinger") return void res.writeHead(404).end();
    asked.push(url.searchParams.get("resource") ?? "");
    res.writeHead(200, { "content-type": "application/jrd+json" }).end(
      JSON.stringify({
        subject: "acct:x@x",
        links: [{ rel: "http://ostatus.org/schema/1.0/subscribe", template: `${origin}/remote-interact?target={uri}` }],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host: new URL(origin).host, asked, close: () => new Promise((r) => server.close(() => r())) };
}

describe.each(databaseKinds)("public site (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let mastodon: Peer;
  let templates: Awaited<ReturnType<typeof startTemplateServer>>;
  let campaign: { id: string; url: string };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${ensemble.origin}${path}`, { headers: { ...HTML, ...headers }, redirect: "manual" });
  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await get(path, headers);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  /** A page of the steward console, signed in with a fresh sign-in link. */
  const consolePage = async (path: string) => {
    const token = await createInvite(ensemble.services.db, "climat");
    const signin = await fetch(`${ensemble.origin}/console/signin`, {
      method: "POST",
      body: new URLSearchParams({ token }),
      headers: { origin: ensemble.origin, "sec-fetch-site": "same-origin" },
      redirect: "manual",
    });
    const cookie = signin.headers.get("set-cookie")!.split(";")[0];
    return (await fetch(`${ensemble.origin}${path}`, { headers: { cookie } })).text();
  };

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind, { ENSEMBLE_CONTACT: "contact@climat.example" });
    mastodon = await startPeer({ usernames: ["alice", "bob"], displayNames: { alice: "Alice <b>Martin</b>" } });
    templates = await startTemplateServer();
    const { token } = await communityWithToken(ensemble, "climat");
    const api = campaignsApi(ensemble, "climat", token);
    campaign = await (
      await api("POST", "", validCampaign({ title: "Vélo au travail", description: "", hashtags: ["velo"] }))
    ).json();
    expect((await api("POST", `/${campaign.id}/publish`)).status).toBe(200);
    expect((await api("POST", `/${campaign.id}/updates`, { content: "Un **grand** merci à *toutes*" })).status).toBe(
      201,
    );
    // a draft with the same hashtag is nobody's to see yet
    await api("POST", "", validCampaign({ title: "Brouillon secret", hashtags: ["velo"] }));
  });
  afterAll(async () => {
    await mastodon?.close();
    await templates?.close();
    await ensemble?.stop();
  });

  it("gives every public page one header (community, campaigns, evidence, language switch) and a footer with the contact", async () => {
    const base = "/communities/climat";
    for (const path of [
      "/",
      base,
      `${base}/campaigns/${campaign.id}`,
      `${base}/reports`,
      `${base}/governance`,
      `${base}/moderation`,
      "/methodology",
      "/tags/velo",
    ]) {
      const html = await page(path);
      for (const href of [
        base,
        `${base}/campaigns/${campaign.id}`,
        `${base}/reports`,
        `${base}/governance`,
        `${base}/moderation`,
        "/methodology",
        "/transparency",
      ]) {
        expect(html, `${path} links to ${href}`).toContain(`href="${href}"`);
      }
      expect(html).toContain(`href="/console/lang/fr?back=${encodeURIComponent(path)}"`);
      expect(html).toContain('<a href="mailto:contact@climat.example">contact@climat.example</a>');
      expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/site\.css\?v=[\w-]+"\/>/);
      // under a strict CSP nothing inline may remain (report and methodology bodies: their own branch)
      expect(html).not.toMatch(/<style|style="|\son\w+="/i);
    }
  });

  it("lists the communities with their summaries on the home page", async () => {
    const html = await page("/");
    expect(html).toContain('<a href="/communities/climat">Community climat</a>');
    expect(html).toContain("1 public campaign");
    expect(html).toContain(`@climat@${new URL(ensemble.origin).host}`);
  });

  it("switches language with a link that comes back to the same page, and only to this site", async () => {
    const res = await get("/console/lang/fr?back=%2Fcommunities%2Fclimat%3Fx%3D1");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/communities/climat?x=1");
    expect(res.headers.get("set-cookie")).toMatch(/^lang=fr;/);
    for (const back of ["//evil.example/", "/\\evil.example", "https://evil.example/"]) {
      expect((await get(`/console/lang/fr?back=${encodeURIComponent(back)}`)).headers.get("location")).toBe("/console");
    }
    const fr = await page("/communities/climat", { cookie: "lang=fr" });
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain(">Rapports<");
    expect(fr).toContain(">Registre public<");
    expect(fr).toContain("Contact :");
  });

  it("serves the favicon, the stylesheet and the script as files", async () => {
    const icon = await get("/favicon.ico");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/x-icon");
    expect([...new Uint8Array(await icon.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
    expect((await get("/assets/site.css")).headers.get("content-type")).toContain("text/css");
    const js = await get("/assets/site.js");
    expect(js.headers.get("content-type")).toContain("text/javascript");
    expect(await js.text()).toContain("time[data-local]");
  });

  it("renders an update written in Markdown, on the campaign page and in the console", async () => {
    const html = await page(`/communities/climat/campaigns/${campaign.id}`);
    expect(html).toContain("Un <strong>grand</strong> merci à <em>toutes</em>");
    expect(html).not.toContain("**grand**");
    const console = await consolePage(`/console/campaigns/${campaign.id}`);
    expect(console).toContain("Un <strong>grand</strong> merci");
    expect(console).not.toContain("**grand**");
  });

  it("links hashtags to a page of the public campaigns carrying them", async () => {
    const html = await page(`/communities/climat/campaigns/${campaign.id}`);
    expect(html).toContain('<a href="/tags/velo" rel="tag">#velo</a>');
    for (const path of ["/tags/velo", "/tags/VELO"]) {
      const tag = await page(path);
      expect(tag).toContain(`href="/communities/climat/campaigns/${campaign.id}"`);
      expect(tag).not.toContain("Brouillon secret");
    }
    expect(await page("/tags/inconnu")).toContain("No public campaign carries this hashtag.");
    expect((await get("/tags/%3Cscript%3E")).status).toBe(404);
  });

  it("shows no Presentation heading for a campaign without a description", async () => {
    const html = await page(`/communities/climat/campaigns/${campaign.id}`, { "accept-language": "fr" });
    expect(html).not.toContain("Présentation");
    expect(html).not.toContain('id="about"');
  });

  it("says 'none' in the yearly moderation summary's empty tables", async () => {
    const en = await page("/communities/climat/moderation/2026");
    expect(en.match(/<td colspan="2">None<\/td>/g)).toHaveLength(2);
    const fr = await page("/communities/climat/moderation/2026", { "accept-language": "fr" });
    expect(fr.match(/<td colspan="2">Aucun<\/td>/g)).toHaveLength(2);
  });

  it("shows the handle to follow and sends a visitor to their own server's interaction page", async () => {
    const path = `/communities/climat/campaigns/${campaign.id}`;
    const html = await page(path);
    expect(html).toContain(`<code id="follow-handle">@climat@${new URL(ensemble.origin).host}</code>`);
    expect(html).toContain(`<form class="interact" method="get" action="${path}/interact">`);
    const interact = (server: string, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) =>
      get(`${path}/interact?server=${encodeURIComponent(server)}`, headers);

    // a server that publishes a subscribe template in WebFinger: the template, asked server-side
    const viaTemplate = await interact(`@alice@${templates.host}`);
    expect(viaTemplate.status).toBe(303);
    expect(viaTemplate.headers.get("location")).toBe(
      `http://${templates.host}/remote-interact?target=${encodeURIComponent(campaign.url)}`,
    );
    expect(templates.asked.at(-1)).toContain("alice");
    // asked once: the answer is remembered, so the form cannot make Ensemble hammer a server
    const asked = templates.asked.length;
    expect((await interact(`@alice@${templates.host}`)).headers.get("location")).toBe(
      viaTemplate.headers.get("location"),
    );
    expect(templates.asked.length).toBe(asked);
    // a server that does not: Mastodon's authorize_interaction
    const fallback = await interact(mastodon.host);
    expect(fallback.headers.get("location")).toBe(
      `http://${mastodon.host}/authorize_interaction?uri=${encodeURIComponent(campaign.url)}`,
    );
    // from another site's link, no redirect: a page with the link, so this is no open redirect
    const crossSite = await interact(templates.host, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(200);
    expect(crossSite.headers.get("location")).toBeNull();
    expect(await crossSite.text()).toContain(`Continue on ${templates.host}`);
    // hostile or mistyped input gets a clear page and goes nowhere
    for (const bad of [
      "",
      "evil.example/path",
      "user:pw@evil.example",
      "localhost",
      "a b.example",
      "javascript:alert(1)",
      "x".repeat(400),
    ]) {
      const res = await interact(bad);
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toContain("This is not a server name");
    }
  });

  it("reads a typed server as a host name only", () => {
    expect(parseRemoteAccount("Mastodon.Social")).toEqual({ host: "mastodon.social", username: undefined });
    expect(parseRemoteAccount("https://mastodon.social/")).toEqual({ host: "mastodon.social", username: undefined });
    expect(parseRemoteAccount("@me@mastodon.social")).toEqual({ host: "mastodon.social", username: "me" });
    expect(parseRemoteAccount("mastodon.social:8443")).toBeUndefined();
    expect(parseRemoteAccount("127.0.0.1:3000", { allowPort: true })).toEqual({
      host: "127.0.0.1:3000",
      username: undefined,
    });
    expect(parseRemoteAccount("évian.example")?.host).toBe("xn--vian-9oa.example");
    expect(parseRemoteAccount("-bad-.example")).toBeUndefined();
    // a template that is not a web address is not followed: Mastodon's URL instead
    const fallback = "https://m.example/authorize_interaction?uri=https%3A%2F%2Fe.example%2Fc";
    expect(interactionUrl({ host: "m.example" }, "https://e.example/c", "javascript:alert('{uri}')")).toBe(fallback);
    expect(interactionUrl({ host: "m.example" }, "https://e.example/c", "https://m.example/share")).toBe(fallback);
    expect(
      interactionUrl({ host: "m.example" }, "https://e.example/c", "https://m.example/ostatus_subscribe?acct={uri}"),
    ).toBe("https://m.example/ostatus_subscribe?acct=https%3A%2F%2Fe.example%2Fc");
  });

  it("names reply authors @name@host with their display name, read from their actor when the reply arrives", async () => {
    const noteId = `${mastodon.origin}/notes/reply-1`;
    const note = {
      id: noteId,
      type: "Note",
      attributedTo: mastodon.actorUrl("alice"),
      inReplyTo: campaign.url,
      content: "<p>Je viens !</p>",
      to: `${AS}#Public`,
    };
    expect(
      (
        await mastodon.signedPost(`${ensemble.origin}/inbox`, {
          "@context": AS,
          id: `${noteId}/activity`,
          type: "Create",
          actor: note.attributedTo,
          object: note,
        })
      ).status,
    ).toBe(202);
    const stored = await waitFor(() => findInboundNote(ensemble.services.db, noteId));
    expect(stored.authorUsername).toBe("alice");
    const html = await page(`/communities/climat/campaigns/${campaign.id}`);
    expect(html).toContain(
      `<span class="author-name">Alice &lt;b&gt;Martin&lt;/b&gt; </span><span class="handle">@alice@${mastodon.host}</span>`,
    );
    expect(html).toContain(`<a href="${mastodon.actorUrl("alice")}" rel="nofollow noopener ugc">`);
    expect(html).not.toContain(`>${mastodon.actorUrl("alice")}<`);
    // the console's latest replies name them the same way
    expect(await consolePage("/console")).toContain(`<span class="handle">@alice@${mastodon.host}</span>`);
  });

  it("writes dates in the reader's language with the zone named, never as ISO in prose", async () => {
    const fr = await page(`/communities/climat/campaigns/${campaign.id}`, { "accept-language": "fr" });
    const text = fr.replace(/<[^>]+>/g, " ");
    expect(text).toMatch(/\d{1,2} \p{L}+\.? \d{4}(,| à) \d{2}:\d{2} UTC/u);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(fr).toMatch(/<time datetime="[^"]+Z" data-local="">/);
    expect(formatDay("fr", "2026-12-01")).toBe("1 décembre 2026");
    expect(formatDay("en", new Date("2026-12-01T23:30:00Z"))).toBe("1 December 2026");
  });
});
