import { Hono } from "hono";
import { z } from "zod";
import type { CampaignPublisher } from "../../domain/publisher";
import type { Services } from "../../services";
import { withActorIri } from "../../domain/accounts";
import {
  block,
  blockInput,
  hideInput,
  hideReply,
  liftBlock,
  liftInput,
  listFlags,
  rejectInput,
  rejectFlag,
} from "../../domain/moderation";
import type { ApiEnv } from "./auth";
import { readJson } from "./body";
import { recordUrl } from "../../domain/urls";

const statusQuery = z.enum(["open", "actioned", "rejected"]).optional();

/** Moderators' work: stewards and moderators alike; each decision answers with its public statement. */
export function moderationRoutes(publisher: CampaignPublisher, services: Services): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const by = (c: { get(k: "grant"): { label: string } }) => c.get("grant").label;
  const recordOf = (act: { recordIndex: number }) => ({
    recordIndex: act.recordIndex,
    record: recordUrl(services.config.origin, act.recordIndex),
  });
  const statementJson = (act: { recordIndex: number; payload: unknown }) => ({
    statement: act.payload,
    ...recordOf(act),
  });

  // Flags are "reports" in the API's paths and fields, as in Mastodon's admin API: clients rely on them.
  app.get("/reports", async (c) => {
    const flags = await listFlags(services.db, c.get("community").id, statusQuery.parse(c.req.query("status")));
    return c.json({
      reports: flags.map((r) => ({
        id: r.id,
        reporter: r.reporterIri,
        objects: r.objectIris,
        content: r.content,
        status: r.status,
        receivedAt: r.receivedAt,
        resolvedAt: r.resolvedAt,
      })),
    });
  });

  app.post("/reports/:id/reject", async (c) => {
    const act = await rejectFlag(
      services,
      c.get("community"),
      c.req.param("id"),
      await readJson(c, rejectInput),
      by(c),
    );
    return c.json(statementJson(act), 201);
  });

  app.post("/hide", async (c) => {
    const act = await hideReply(services, c.get("community"), await readJson(c, hideInput), by(c));
    return c.json(statementJson(act), 201);
  });

  app.post("/blocks", async (c) => {
    const input = await withActorIri(services.lookupAccount, await readJson(c, blockInput));
    const { act } = await block(services, c.get("community"), input, by(c), publisher);
    return c.json(statementJson(act), 201);
  });

  app.post("/blocks/lift", async (c) => {
    const input = await withActorIri(services.lookupAccount, await readJson(c, liftInput));
    const { act } = await liftBlock(services, c.get("community"), input, by(c), publisher);
    return c.json({ act: act.payload, ...recordOf(act) }, 201);
  });

  return app;
}
