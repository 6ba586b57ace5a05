import { Hono, type Context } from "hono";
import type { Services } from "../services";
import { findCommunity } from "../domain/communities";
import { communityUrl, recordUrl } from "../domain/urls";
import { governanceJson } from "../domain/governance-json";
import { communityRecord, readRecordedGovernance } from "../domain/governance-record";
import { STATEMENT } from "../domain/moderation";
import { GovernancePage, ModerationLogPage, ModerationSummaryPage } from "./pages/governance";
import { signDocument } from "../transparency/jws";
import { publicRecord } from "../transparency/record";
import { moderationSummary } from "../domain/moderation-summary";
import { readerLang } from "../http/reader-lang";

/** The public governance page and moderation log of a community, with their JSON twins. */
export function governancePages(services: Services): Hono {
  const { db, config } = services;
  const app = new Hono();

  const view = async (c: Context) => {
    const community = await findCommunity(db, c.req.param("handle") ?? "");
    if (!community) return undefined;
    const url = communityUrl(config.origin, community.handle);
    const recorded = await readRecordedGovernance(db, community.id, url);
    return { community, recorded, json: governanceJson(config.origin, url, recorded) };
  };

  // The snapshot is signed but not logged: it is read from the acts' own leaves in the record.
  app.get("/communities/:handle/governance.json", async (c) => {
    const found = await view(c);
    if (!found) return c.notFound();
    const document = { ...found.json, generatedAt: new Date().toISOString() };
    return c.json({ document, jws: await signDocument(document, (await publicRecord(services)).privateKey) });
  });
  app.get("/communities/:handle/governance", async (c) => {
    const found = await view(c);
    if (!found) return c.notFound();
    return c.html(<GovernancePage community={found.community} recorded={found.recorded} lang={readerLang(c)} />);
  });

  // the statements as signed: read from the record's leaves, like the governance page
  const moderationLog = async (c: Context) => {
    const community = await findCommunity(db, c.req.param("handle") ?? "");
    if (!community) return undefined;
    const entries = await communityRecord(db, community.id, communityUrl(config.origin, community.handle));
    const list = entries
      .filter((e) => e.document.type === STATEMENT)
      .map((e) => ({
        recordIndex: e.index,
        record: recordUrl(config.origin, e.index),
        statement: e.document as Record<string, unknown>,
      }));
    return { community, list };
  };
  app.get("/communities/:handle/moderation.json", async (c) => {
    const found = await moderationLog(c);
    if (!found) return c.notFound();
    return c.json({
      type: "moderation-log",
      community: communityUrl(config.origin, found.community.handle),
      statements: found.list,
    });
  });
  app.get("/communities/:handle/moderation", async (c) => {
    const found = await moderationLog(c);
    if (!found) return c.notFound();
    return c.html(<ModerationLogPage community={found.community} statements={found.list} lang={readerLang(c)} />);
  });
  // the year and its ".json" twin share one route: Hono cannot split "2026.json" by itself
  app.get("/communities/:handle/moderation/:year{[0-9]{4}(\\.json)?}", async (c) => {
    const community = await findCommunity(db, c.req.param("handle"));
    if (!community) return c.notFound();
    const param = c.req.param("year");
    const summary = await moderationSummary(db, community.id, Number(param.slice(0, 4)));
    if (param.endsWith(".json"))
      return c.json({
        type: "moderation-summary",
        community: communityUrl(config.origin, community.handle),
        ...summary,
      });
    return c.html(<ModerationSummaryPage community={community} summary={summary} lang={readerLang(c)} />);
  });
  return app;
}
