// Public sentiment reports (community and campaign) as HTML, JSON and CSV, and the methodology page.
// Handlers only resolve the scope and pick a representation; figures come from src/reports/publication/report.ts.

import { existsSync, readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import type { Services } from "../services";
import { findCampaign, isLiveCampaignOf } from "../domain/campaigns";
import { findCommunity } from "../domain/communities";
import { renderDocumentMarkdown } from "../domain/html";
import { MODELS_DIR } from "../emotion";
import { MethodologyPage } from "./pages/methodology";
import { ReportPage, type ReportLinks } from "./pages/report";
import { readerLang } from "../http/reader-lang";
import {
  DEFAULT_ESTIMATOR,
  type AdjustedEstimator,
  reportToCsv,
  shippedModel,
  scopeReport,
  type WindowSpec,
} from "../reports";

type Format = "html" | "json" | "csv";

const WINDOWS: readonly WindowSpec[] = ["day", "week", "campaign"];

function formatOf(c: Context, suffix: string | undefined): Format {
  if (suffix === ".json") return "json";
  if (suffix === ".csv") return "csv";
  return c.req.header("accept")?.includes("application/json") ? "json" : "html";
}

/** The model card is Markdown written by the model's authors; rendered once and cached. */
let card: { html: string | null } | undefined;
function modelCardHtml(): string | null {
  card ??= {
    html: existsSync(`${MODELS_DIR}MODEL_CARD.md`)
      ? renderDocumentMarkdown(readFileSync(`${MODELS_DIR}MODEL_CARD.md`, "utf8"))
      : null,
  };
  return card.html;
}

export function reportPages(services: Services): Hono {
  const { db, config } = services;
  const app = new Hono();

  async function respond(
    c: Context,
    suffix: string | undefined,
    scope: { id: string; communityId: string; title: string; defaultWindow: WindowSpec; links: ReportLinks },
  ) {
    const window = (c.req.query("window") ?? scope.defaultWindow) as WindowSpec;
    const estimator = (c.req.query("estimator") ?? DEFAULT_ESTIMATOR) as AdjustedEstimator;
    if (!WINDOWS.includes(window)) return c.text("window must be day, week or campaign", 400);
    if (estimator !== "acc" && estimator !== "pacc") return c.text("estimator must be acc or pacc", 400);
    const report = await scopeReport(db, config, {
      scopeId: scope.id,
      communityId: scope.communityId,
      title: scope.title,
      window,
      estimator,
      generatedAt: new Date(),
    });
    if (!report) return c.text("No emotion model is installed, so there is no report.", 503);
    const format = formatOf(c, suffix);
    c.header("Vary", "Accept, Accept-Language, Cookie");
    if (format === "json") return c.json(report);
    if (format === "csv") {
      c.header("Content-Disposition", `attachment; filename="report-${window}.csv"`);
      return c.body(reportToCsv(report), 200, { "Content-Type": "text/csv; charset=utf-8" });
    }
    return c.html(<ReportPage report={report} links={scope.links} lang={readerLang(c)} />);
  }

  for (const suffix of ["", ".json", ".csv"]) {
    app.get(`/communities/:handle/reports${suffix}`, async (c) => {
      const community = await findCommunity(db, c.req.param("handle"));
      if (!community) return c.notFound();
      const path = `/communities/${community.handle}/reports`;
      return respond(c, suffix || undefined, {
        id: community.id,
        communityId: community.id,
        title: community.name,
        defaultWindow: "week",
        links: { path, up: { href: `/communities/${community.handle}`, label: `← ${community.name}` } },
      });
    });
    app.get(`/communities/:handle/campaigns/:id/report${suffix}`, async (c) => {
      const community = await findCommunity(db, c.req.param("handle"));
      const campaign = community && (await findCampaign(db, c.req.param("id")).catch(() => undefined));
      // like the campaign page: a draft or deleted campaign has no public report
      if (!community || !campaign || !isLiveCampaignOf(community, campaign)) return c.notFound();
      const base = `/communities/${community.handle}/campaigns/${campaign.id}`;
      return respond(c, suffix || undefined, {
        id: campaign.id,
        communityId: community.id,
        title: campaign.title,
        defaultWindow: "campaign",
        links: { path: `${base}/report`, up: { href: base, label: `← ${campaign.title}` } },
      });
    });
  }

  app.get("/methodology", (c) =>
    c.html(
      <MethodologyPage
        json={shippedModel()?.json ?? null}
        cardHtml={modelCardHtml()}
        lang={readerLang(c)}
        k={config.reportMinAuthors}
        epsilon={config.reportEpsilon}
        maxNotesPerAuthor={config.reportMaxNotesPerAuthor}
      />,
    ),
  );
  return app;
}
