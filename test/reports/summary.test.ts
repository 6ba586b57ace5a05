// The plain-language summary that opens every report page, in the reader's language, through a
// real server on the default (private) settings: what it says with figures, with too few people,
// and with nothing yet, the same way for a community and for a campaign.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaign, publishCampaign } from "../../src/domain/campaigns";
import { createCommunity } from "../../src/domain/communities";
import { storeInboundNote } from "../../src/domain/notes";
import {
  reportFromRows,
  type PublishedWindow,
  type Report,
  type ViewEstimates,
} from "../../src/reports/publication/aggregate";
import { summaryLines } from "../../src/site/pages/report";
import { shippedModel } from "../../src/reports/model/shipped-model";
import type { ScoredRow } from "../../src/reports/rollups/rollup-in-memory";
import { baseOptions, model, weeklySeries } from "./fixtures";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { buildScenario, scorer, type Scenario } from "./scenario";

/** The text of the page's "In short" section, tags dropped. */
function summaryOf(html: string): string {
  const section = /<section aria-labelledby="in-short"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
  return section
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

describe.each(databaseKinds)("report summary on %s", (kind) => {
  let server: TestEnsemble;
  let scenario: Scenario;
  beforeAll(async () => {
    server = await startTestEnsemble(kind);
    scenario = await buildScenario(server.services.db);
  }, 180_000);
  afterAll(() => server?.stop());

  const page = async (path: string, lang: string) =>
    (await fetch(`${server.origin}${path}`, { headers: { "accept-language": lang } })).text();
  const campaignPath = () => `/communities/climat/campaigns/${scenario.campaign.id}/report`;

  it("opens the campaign report with the published shares in words, in French", async () => {
    const json = (await (await fetch(`${server.origin}${campaignPath()}.json`)).json()) as Report;
    const whole = json.windows[0] as PublishedWindow;
    const html = await page(campaignPath(), "fr-FR,fr;q=0.9");
    expect(html).toContain('<html lang="fr"');
    const text = summaryOf(html);
    expect(text).toMatch(/^En bref Environ \d+ personnes ont répondu à cette campagne\./);
    expect(text).toContain(`Environ ${whole.authors} personnes`);
    // Each of the three most expressed emotions, as "about n in 10" with its range rounded outwards.
    const top = Object.entries(whole.groups)
      .filter(([g]) => g !== "neutral")
      .map(
        ([g, v]) =>
          [
            g,
            (v.byMessage as { adjusted: { estimate: number; low: number; high: number; method: string } }).adjusted,
          ] as const,
      )
      .sort((a, b) => b[1].estimate - a[1].estimate)
      .slice(0, 3);
    const french: Record<string, string> = {
      anger: "de la colère",
      disgust: "du dégoût",
      fear: "de la peur",
      joy: "de la joie",
      sadness: "de la tristesse",
      surprise: "de la surprise",
    };
    const tenths = (e: { low: number; high: number }) => [Math.floor(e.low * 10 + 1e-9), Math.ceil(e.high * 10 - 1e-9)];
    if (top.every(([, e]) => tenths(e)[1] - tenths(e)[0] >= 6)) {
      // Nothing worth a sentence each: one honest line instead, blaming the model where it cannot tell.
      expect(text).toContain(
        top.every(([, e]) => e.method.endsWith("fallback"))
          ? "Ce modèle ne peut pas dire quelles émotions ces réponses exprimaient"
          : "Il y a encore trop peu de réponses pour dire quelles émotions elles exprimaient",
      );
      top.length = 0;
    }
    for (const [group, e] of top) {
      const low = Math.floor(e.low * 10 + 1e-9);
      const high = Math.ceil(e.high * 10 - 1e-9);
      const n = Math.round(e.estimate * 10);
      const expected =
        high - low >= 6
          ? e.method.endsWith("fallback")
            ? `Ce modèle ne peut pas dire combien de ces réponses exprimaient ${french[group]} : il ne reconnaît pas assez bien cette émotion dans leur langue (n'importe où entre ${low} et ${high} sur 10)`
            : `trop peu de réponses pour dire combien exprimaient ${french[group]} (quelque part entre ${low} et ${high} sur 10)`
          : n === 0
            ? `Moins d'une réponse sur 10 exprimait ${french[group]} (au plus ${high} sur 10)`
            : `sur 10 exprimai${n < 2 ? "t" : "ent"} ${french[group]} (entre ${low} et ${high} sur 10)`;
      expect(text).toContain(expected);
    }
    expect(text).toContain(`confidentialité différentielle, ε = 2 par période`);
    expect(text).toContain("celles d'aujourd'hui apparaîtront demain");
    // Headings and emotion names below are French too; the statistics stay below the summary.
    expect(html).toContain("<h2>Détails</h2>");
    expect(html).toContain('<th scope="row">colère</th>');
    expect(html.indexOf("in-short")).toBeLessThan(html.indexOf("<h2>Détails</h2>"));
  });

  it("says in English when too few people replied to say more, without their exact number", async () => {
    const db = server.services.db;
    const community = await createCommunity(db, { handle: "petit", name: "Petit" });
    const campaign = await publishCampaign(
      db,
      await createCampaign(db, community.id, {
        title: "Cinq voix",
        steps: ["Lire"],
        startsAt: new Date("2025-05-01T00:00:00Z"),
        endsAt: new Date("2025-06-01T00:00:00Z"),
      }),
    );
    const at = new Date("2025-05-06T10:00:00Z");
    for (let i = 1; i <= 9; i++) {
      await storeInboundNote(
        db,
        {
          iri: `https://peer.example/petit/${i}`,
          communityId: community.id,
          campaignId: campaign.id,
          inReplyTo: null,
          authorIri: `https://peer.example/users/v${i}`,
          contentHtml: "<p>anger</p>",
          language: "en",
          published: at,
        },
        scorer,
        at,
      );
    }
    const text = summaryOf(await page(`/communities/petit/campaigns/${campaign.id}/report`, "en"));
    expect(text).toMatch(/^In short Too few people \(fewer than 11\) replied to this campaign to say more\./);
    expect(text).not.toContain("9");
    const week = summaryOf(await page("/communities/petit/reports?window=week", "fr"));
    expect(week).toContain(
      "Trop peu de personnes (moins de 11) ont répondu du 5 mai 2025 au 11 mai 2025 pour en dire plus.",
    );
  });

  it("an empty community report and an empty campaign report say the same, honest thing", async () => {
    const community = await createCommunity(server.services.db, { handle: "vide", name: "Vide" });
    const campaign = await publishCampaign(
      server.services.db,
      await createCampaign(server.services.db, community.id, {
        title: "Rien encore",
        steps: ["Lire"],
        startsAt: new Date(Date.now() - 86_400_000),
        endsAt: new Date(Date.now() + 86_400_000),
      }),
    );
    for (const lang of ["en", "fr"]) {
      const ofCommunity = summaryOf(await page("/communities/vide/reports", lang));
      const ofCampaign = summaryOf(await page(`/communities/vide/campaigns/${campaign.id}/report`, lang));
      const none = lang === "en" ? "No reply has been counted yet." : "Aucune réponse n'a encore été comptée.";
      expect(ofCommunity).toContain(none);
      expect(ofCampaign).toContain(none);
      expect(await page("/communities/vide/reports", lang)).not.toContain("suppressed (");
      expect(await page("/communities/vide/reports", lang)).not.toContain("masqué (");
    }
  });

  it("the methodology page follows the reader's language and states the threat model first", async () => {
    const fr = await page("/methodology", "fr");
    expect(fr).toContain('<html lang="fr"');
    expect(fr).toContain("Contre quoi la confidentialité protège");
    expect(fr).toContain("ε = 2 par période");
    expect(fr.indexOf("Contre quoi")).toBeLessThan(fr.indexOf('id="model"'));
    const en = await page("/methodology", "en");
    expect(en).toContain("What the privacy protects against");
    expect(en).toContain("At most 3 replies of one person count in a period");
    expect(en).toMatch(/<div class="table-scroll"><table>/); // the model card's tables stay tables
  });
});

describe("summary sentences", () => {
  it("say 'about 4 in 10' with the range rounded outwards, in French and English", () => {
    // 60 authors in one week, 24 of them angry: classify-and-count 40%, ACC (0.4 − 0.1)/0.7 ≈ 43%.
    const report = reportFromRows(weeklySeries([24], 60), model, { ...baseOptions, window: "week" });
    const anger = ((report.total as PublishedWindow).groups.anger.byMessage as ViewEstimates).adjusted;
    const low = Math.floor(anger.low * 10),
      high = Math.ceil(anger.high * 10);
    expect(Math.round(anger.estimate * 10)).toBe(4);
    expect(summaryLines("fr", report)).toContain(
      `Environ 4 réponses sur 10 exprimaient de la colère (entre ${low} et ${high} sur 10).`,
    );
    expect(summaryLines("en", report)).toContain(
      `About 4 replies in 10 expressed anger (between ${low} and ${high} in 10).`,
    );
    expect(summaryLines("fr", report)[0]).toBe(
      "Environ 60 personnes ont répondu du 6 janvier 2025 au 12 janvier 2025.",
    );
    expect(high - low).toBeLessThan(6);
  });

  it("say that the model, not the number of replies, is what cannot tell, when a share could not be corrected", () => {
    // 90 people, each one reply the model reads as angry for a third of them; French, then English.
    const shipped = shippedModel()!.info;
    const rows = (language: string): ScoredRow[] =>
      Array.from({ length: 90 }, (_, i) => ({
        noteId: `n${i}`,
        authorId: `a${i}`,
        campaignId: "c",
        communityId: "x",
        publishedAt: new Date("2025-01-07T10:00:00Z"),
        scores: Object.fromEntries(
          shipped.labels.map((l) => [l, l === "anger" ? (i % 3 === 0 ? 0.8 : 0.05) : l === "neutral" ? 0.5 : 0.05]),
        ),
        language,
      }));
    const summary = (language: string, lang: "en" | "fr") =>
      summaryLines(
        lang,
        reportFromRows(rows(language), shipped, { ...baseOptions, estimator: "pacc", window: "campaign" }),
      );
    // On French replies every emotion is published unadjusted with a 0–100% range: more replies would not help.
    expect(summary("fr", "en")).toContain(
      "This model cannot tell which emotions these replies expressed: it does not recognise them well enough in their language, and more replies would not change that; the details below give each range.",
    );
    expect(summary("fr", "fr").join(" ")).toContain("Ce modèle ne peut pas dire quelles émotions");
    expect(summary("fr", "en").join(" ")).not.toContain("too few replies");
    // The same scores on English replies are corrected: the summary does not blame the model.
    expect(summary("en", "en").join(" ")).not.toContain("This model cannot tell");
  });
});
