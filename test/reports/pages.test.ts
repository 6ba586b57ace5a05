// Report pages end to end: notes stored through the write path of a running server; every
// figure in the JSON, CSV and HTML equals a recomputation from the raw rows (reportFromRows).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ESTIMATOR, reportFromRows, type Report } from "../../src/reports/publication/aggregate";
import { reportToCsv } from "../../src/reports/publication/csv";
import { isSuppressed } from "../../src/reports/publication/privacy";
import { shippedModel } from "../../src/reports/model/shipped-model";
import type { WindowSpec } from "../../src/reports/rollups/windows";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { buildScenario, readScoredRows, type Scenario } from "./scenario";

const model = shippedModel()!.info;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const escapeHtml = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

describe.each(databaseKinds)("report pages on %s", (kind) => {
  let server: TestEnsemble;
  let scenario: Scenario;
  beforeAll(async () => {
    server = await startTestEnsemble(kind, { ENSEMBLE_REPORT_EPSILON: "off" }); // the exact path, checked against a recomputation
    scenario = await buildScenario(server.services.db);
  }, 180_000); // a shared 2-core machine can take minutes to start a server and store the scenario
  afterAll(() => server?.stop());

  const campaignPath = () => `/communities/climat/campaigns/${scenario.campaign.id}/report`;
  const expected = async (window: WindowSpec, generatedAt: string, campaign = true): Promise<Report> =>
    reportFromRows(
      await readScoredRows(server.services.db, {
        communityId: scenario.community.id,
        campaignId: campaign ? scenario.campaign.id : undefined,
      }),
      model,
      {
        window,
        estimator: DEFAULT_ESTIMATOR,
        generatedAt: new Date(generatedAt),
        title: campaign ? scenario.campaign.title : scenario.community.name,
        k: 11,
      },
    );

  it.each(["week", "campaign", "day"] as const)(
    "JSON and CSV of the %s campaign report equal the recomputation",
    async (window) => {
      const json = (await (await fetch(`${server.origin}${campaignPath()}.json?window=${window}`)).json()) as Report;
      expect(json).toEqual(JSON.parse(JSON.stringify(await expected(window, json.generatedAt))));
      const viaAccept = await fetch(`${server.origin}${campaignPath()}?window=${window}`, {
        headers: { accept: "application/json" },
      });
      expect(viaAccept.headers.get("content-type")).toMatch(/application\/json/);
      const csv = await (await fetch(`${server.origin}${campaignPath()}.csv?window=${window}`)).text();
      expect(csv).toBe(reportToCsv(await expected(window, json.generatedAt)));
    },
  );

  it("the community report covers every note of the community", async () => {
    const json = (await (await fetch(`${server.origin}/communities/climat/reports.json`)).json()) as Report;
    expect(json).toEqual(JSON.parse(JSON.stringify(await expected("week", json.generatedAt, false))));
    expect(json.total).toMatchObject({ suppressed: false, authors: 44 });
  });

  it("the HTML page shows every published figure of the recomputation, and the suppressed ones as such", async () => {
    const res = await fetch(`${server.origin}${campaignPath()}?window=week`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const r = await expected("week", new Date().toISOString());
    const total = r.total!;
    if (total.suppressed || isSuppressed(total.notes)) throw new Error("total should be published");
    expect(html).toContain(`${total.notes} notes from ${total.authors} distinct authors.`);
    for (const section of [total.groups, total.labels]) {
      for (const t of Object.values(section)) {
        for (const v of [t.byMessage, t.byPerson]) {
          if (isSuppressed(v)) throw new Error("unexpected");
          expect(html).toContain(
            `${pct(v.adjusted.estimate)}<span class="ci">95% CI ${pct(v.adjusted.low)}–${pct(v.adjusted.high)}`,
          );
        }
      }
    }
    expect(html).toContain(
      `<th scope="row">2025-03-10</th><td class="suppressed" colspan="5">suppressed (&lt; 11 authors)</td>`,
    );
    expect(html).toContain("suppressed (it could otherwise be worked out from other published figures)");
    expect(html).toContain(escapeHtml(`Sentiment report: ${scenario.campaign.title}`));
    expect(html).toContain(`Model ${model.version}`);
    expect(html).toContain('href="/methodology"');
    expect(html).not.toContain("peer.example/users"); // no author, ever
  });

  it("refuses bad parameters and unknown or draft scopes", async () => {
    expect((await fetch(`${server.origin}${campaignPath()}?window=year`)).status).toBe(400);
    expect((await fetch(`${server.origin}/communities/nobody/reports`)).status).toBe(404);
    expect((await fetch(`${server.origin}/communities/climat/campaigns/not-a-uuid/report`)).status).toBe(404);
  });

  it("the methodology page shows the model, its error per language, and the privacy parameters", async () => {
    const html = await (await fetch(`${server.origin}/methodology`)).text();
    const json = shippedModel()!.json;
    expect(html).toContain(json.onnx.sha256);
    expect(html).toContain(json.vocabulary.sha256);
    expect(html).toContain(json.version);
    expect(html).toContain("French (GoEmotions dev split, machine-translated)");
    expect(html).toContain("k = 11 distinct authors");
    expect(html).toContain("What the numbers cannot say");
  });
});
