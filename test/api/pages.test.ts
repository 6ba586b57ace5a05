import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundNotes, participations } from "../../drizzle/schema";
import { htmlToText, sanitizeRemoteHtml } from "../../src/domain/html";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { campaignsApi, communityWithToken, validCampaign } from "./client";

const HTML = { accept: "text/html,application/xhtml+xml" };
const SCRIPT = "<script>alert(1)</script>";

/** Scripts that run from the page itself: anything but an empty element loading our own file. */
const inlineScripts = (html: string) =>
  [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
    ([, attrs, body]) => !/\bsrc="\/assets\/[\w.-]+(\?v=[\w-]+)?"/.test(attrs) || body !== "",
  );

describe.each(databaseKinds)("public campaign pages (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let campaign: { id: string; url: string; steps: Array<{ id: string }> };

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    const { community, token } = await communityWithToken(ensemble, "climat");
    const api = campaignsApi(ensemble, "climat", token);
    const body = validCampaign({
      title: `Vélo ${SCRIPT}`,
      description: `Venez ! ${SCRIPT}`,
      steps: [`Étape ${SCRIPT}`.slice(0, 50), "Venir"],
    });
    campaign = await (await api("POST", "", body)).json();
    expect((await api("POST", `/${campaign.id}/publish`)).status).toBe(200);
    await api("POST", `/${campaign.id}/updates`, { content: `Point d'étape ${SCRIPT}` });

    const db = ensemble.services.db;
    const participant = (n: number) => ({
      actorIri: `https://m.example/users/p${n}`,
      inboxUrl: `https://m.example/users/p${n}/inbox`,
    });
    await db.insert(participations).values([
      {
        campaignId: campaign.id,
        stepId: campaign.steps[0].id,
        via: "vote",
        activityIri: "https://m.example/v/1",
        ...participant(1),
      },
      {
        campaignId: campaign.id,
        stepId: campaign.steps[1].id,
        via: "vote",
        activityIri: "https://m.example/v/2",
        ...participant(1),
      },
      {
        campaignId: campaign.id,
        stepId: campaign.steps[0].id,
        via: "vote",
        activityIri: "https://m.example/v/3",
        ...participant(2),
      },
      { campaignId: campaign.id, stepId: null, via: "join", activityIri: "https://m.example/j/1", ...participant(3) },
    ]);
    const reply = (n: number, html: string, hidden = false) => {
      const contentHtml = sanitizeRemoteHtml(html);
      return {
        iri: `https://m.example/notes/${n}`,
        communityId: community.id,
        campaignId: campaign.id,
        authorIri: n === 3 ? "javascript:alert(1)" : "https://m.example/users/mallory",
        contentHtml,
        text: htmlToText(contentHtml),
        published: new Date(Date.UTC(2026, 0, n)),
        hidden,
      };
    };
    await db
      .insert(inboundNotes)
      .values([
        reply(1, "<p>hi<script>alert(1)</script><img src=x onerror=alert(1)></p>"),
        reply(2, "<p>moderated away</p>", true),
        reply(3, "<p>odd author</p>"),
      ]);
  });
  afterAll(async () => {
    await ensemble?.stop();
  });

  it("shows a campaign with its steps, counts, progress, updates and replies, and runs nothing", async () => {
    const res = await fetch(campaign.url, { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();

    expect(inlineScripts(html)).toEqual([]);
    expect(html).not.toMatch(/onerror/i);
    // an author IRI that is not a web address is shown, never linked
    expect(html).not.toMatch(/href="javascript:/i);
    // hostile text is shown as text
    expect(html).toContain("Vélo &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Étape &lt;script&gt;");
    // updates are Markdown, rendered and sanitized on write: the text stays, the script does not
    expect(html).toMatch(/<div class="rich" lang="fr"><p>Point d('|&#39;)étape <\/p>/);

    expect(html).toMatch(/<progress id="goal-progress" max="10" value="3">/);
    expect(html).toContain("3 participants of a goal of 10 (30%)");
    expect(html).toContain("(2 people)");
    expect(html).toContain("(1 person)");

    // an author whose actor was never read is named by their server, never by a raw IRI
    expect(html).toMatch(/<a href="https:\/\/m.example\/users\/mallory"[^>]*>an account on m.example<\/a>/);
    expect(html).toContain("an unknown account");
    expect(html).toMatch(/<p class="text"[^>]*>hi<\/p>/);
    expect(html).toContain("odd author");
    expect(html).not.toContain("moderated away");
    // in UTC with the zone named; the page script rewrites it into the reader's own zone
    expect(html).toContain('<time datetime="2026-01-01T00:00:00.000Z" data-local="">1 Jan 2026, 00:00 UTC</time>');
    expect(html).toContain(">Open<");
  });

  it("lists published campaigns on the community page", async () => {
    const html = await (await fetch(`${ensemble.origin}/communities/climat`, { headers: HTML })).text();
    expect(html).toContain(`href="/communities/climat/campaigns/${campaign.id}"`);
    expect(html).toContain("Vélo &lt;script&gt;");
    expect(html).toContain("3 participants of a goal of 10 (30%)");
    expect(inlineScripts(html)).toEqual([]);
  });

  it("speaks the reader's language (Accept-Language, or the lang cookie), keeping the campaign's own", async () => {
    const fr = await fetch(campaign.url, { headers: { ...HTML, "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" } });
    expect(fr.headers.get("vary")).toContain("Accept-Language");
    const html = await fr.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("3 participant·es sur un objectif de 10 (30 %)");
    expect(html).toContain("(1 personne)");
    expect(html).toContain(">Comment participer<");
    expect(html).toContain(">Ouverte<");
    expect(html).toContain("Vélo &lt;script&gt;");
    const community = await (
      await fetch(`${ensemble.origin}/communities/climat`, { headers: { ...HTML, "accept-language": "fr" } })
    ).text();
    expect(community).toContain(">Campagnes<");
    // an explicit choice wins over the browser's
    const en = await (
      await fetch(campaign.url, { headers: { ...HTML, "accept-language": "fr", cookie: "lang=en" } })
    ).text();
    expect(en).toContain(">How to take part<");
  });

  it("answers 404 for an unknown campaign or one of another community", async () => {
    expect((await fetch(`${ensemble.origin}/communities/climat/campaigns/nope`, { headers: HTML })).status).toBe(404);
    await communityWithToken(ensemble, "velo");
    expect(
      (await fetch(`${ensemble.origin}/communities/velo/campaigns/${campaign.id}`, { headers: HTML })).status,
    ).toBe(404);
  });
});
