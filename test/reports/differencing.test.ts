// Differencing attacks on the public (differentially private, default) reports, through a real
// server: reading around one reply, topping a past window up with a back-dated reply, subtracting
// a report's published parts from its total across window types and scopes, asking two server
// instances (or one restarted) for the same figures, and hiding a note.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { hideInboundNote, storeInboundNote } from "../../src/domain/notes";
import type { PublishedWindow, Report, WindowReport } from "../../src/reports/publication/aggregate";
import { query } from "../../src/reports/rollups/db";
import { shippedModel } from "../../src/reports/model/shipped-model";
import { rebuildRollups } from "../../src/reports/rollups/rollup-rebuild";
import { scopeReport, type ReportSettings } from "../../src/reports/publication/report";
import { windowBounds } from "../../src/reports/rollups/windows";
import { startEnsemble } from "../../src/server";
import { sql } from "drizzle-orm";
import { databaseKinds } from "../helpers/databases";
import { freePort, startTestEnsemble, tempDir, testEnv, type TestEnsemble } from "../helpers/ensemble";
import { buildScenario, readScoredRows, scorer, type Scenario } from "./scenario";

const model = shippedModel()!.info;
const K = 11;
const dp: ReportSettings = { reportMinAuthors: K, reportEpsilon: 2, reportMaxNotesPerAuthor: 3 };
const strip = (r: Report): Report => ({ ...r, generatedAt: "" });
const get = async (origin: string, path: string) => strip((await (await fetch(`${origin}${path}`)).json()) as Report);

describe.each(databaseKinds)("differencing on %s", (kind) => {
  let server: TestEnsemble;
  let scenario: Scenario;
  let n = 1000;
  const campaignPath = () => `/communities/climat/campaigns/${scenario.campaign.id}/report.json`;
  const reply = (author: string, text: string, published: Date, receivedAt = new Date(), campaign = true) =>
    storeInboundNote(
      server.services.db,
      {
        iri: `https://peer.example/notes/${++n}`,
        communityId: scenario.community.id,
        campaignId: campaign ? scenario.campaign.id : null,
        inReplyTo: null,
        authorIri: `https://peer.example/users/${author}`,
        contentHtml: `<p>${text}</p>`,
        language: "fr",
        published,
      },
      scorer,
      receivedAt,
    );

  beforeAll(async () => {
    server = await startTestEnsemble(kind); // the default settings: differential privacy on
    scenario = await buildScenario(server.services.db);
    // Three people who mention the community outside the campaign, in the campaign's first week:
    // the community's week minus the campaign's week would isolate them.
    for (const who of ["x1", "x2", "x3"])
      await reply(who, "anger", new Date("2025-03-04T09:00:00Z"), new Date("2025-03-04T09:00:00Z"), false);
  }, 180_000);
  afterAll(() => server?.stop());

  it("is private by default and says so: ε, the per-author cap, noisy figures, no fine labels", async () => {
    const r = await get(server.origin, campaignPath());
    expect(r.noise).toMatchObject({ mechanism: "laplace", epsilon: 2, maxNotesPerAuthor: 3, statisticsPerWindow: 20 });
    expect(r.labels).toEqual([]);
    const exact = (await scopeReport(
      server.services.db,
      { ...dp, reportEpsilon: undefined },
      {
        scopeId: scenario.campaign.id,
        communityId: scenario.community.id,
        title: "",
        window: "campaign",
        estimator: "acc",
        generatedAt: new Date(),
      },
    ))!;
    const week = r.windows[0] as PublishedWindow;
    const exactWeek = exact.windows[0] as PublishedWindow;
    expect(week.suppressed).toBe(false);
    expect(week.groups.anger.byPerson).not.toEqual(exactWeek.groups.anger.byPerson);
    // The interval accounts for the noise: wider than the exact report's.
    const width = (v: PublishedWindow["groups"][string]["byPerson"]) =>
      "adjusted" in v ? v.adjusted.high - v.adjusted.low : 0;
    expect(width(week.groups.anger.byPerson)).toBeGreaterThan(width(exactWeek.groups.anger.byPerson));
    const html = await (await fetch(`${server.origin}${campaignPath().replace(".json", "")}`)).text();
    expect(html).toContain("ε = 2");
  });

  it("a reply, even back-dated by its sender, changes nothing already published: re-reading reveals nothing", async () => {
    const before = await get(server.origin, campaignPath());
    const beforeWeek = await get(server.origin, `${campaignPath()}?window=week`);
    // One known reply now, and one whose sender claims it was written inside the published weeks.
    await reply("attacker1", "anger fear", new Date());
    await reply("attacker2", "anger disgust", new Date("2025-03-05T12:00:00Z"));
    expect(await get(server.origin, campaignPath())).toEqual(before);
    expect(await get(server.origin, `${campaignPath()}?window=week`)).toEqual(beforeWeek);
    const [{ published }] = await query<{ published: string | Date }>(
      server.services.db,
      sql`
      select published from inbound_notes where author_iri = 'https://peer.example/users/attacker2'`,
    );
    expect(Date.now() - new Date(published).getTime()).toBeLessThan(15 * 60_000); // clamped to its receipt
  });

  it("once today closes, the new figures differ by noise, not by the reply's labels", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const request = {
      scopeId: scenario.campaign.id,
      communityId: scenario.community.id,
      title: "",
      window: "campaign" as const,
      estimator: "acc" as const,
    };
    const at = (settings: ReportSettings, generatedAt: Date) =>
      scopeReport(server.services.db, settings, { ...request, generatedAt });
    const exact = { ...dp, reportEpsilon: undefined };
    const exactAfter = (await at(exact, tomorrow))!.windows[0] as PublishedWindow;
    const noisyBefore = (await at(dp, new Date()))!.windows[0] as PublishedWindow;
    const noisyAfter = (await at(dp, tomorrow))!.windows[0] as PublishedWindow;
    // The exact (live, evaluation-only) report moved with the two replies at once; the published one
    // moves only when their day has closed, and then by fresh noise whose scale (what one person can
    // change, over ε per statistic) dwarfs one reply.
    // (Any one share may be clipped at 0% or 100% by the noise on both sides; the window as a whole is not.)
    expect(noisyAfter).not.toEqual(noisyBefore);
    expect(noisyAfter.groups).not.toEqual(exactAfter.groups);
  });

  it("no subtraction across window types or scopes isolates a suppressed group", async () => {
    const rows = await readScoredRows(server.services.db, { communityId: scenario.community.id });
    const authorsIn = (scope: "campaign" | "rest", start: string, end: string) => {
      const inScope = rows.filter((r) =>
        scope === "campaign" ? r.campaignId === scenario.campaign.id : r.campaignId !== scenario.campaign.id,
      );
      return new Set(
        inScope
          .filter((r) => r.publishedAt.toISOString() >= start && r.publishedAt.toISOString() < end)
          .map((r) => r.authorId),
      );
    };
    const published = (w: WindowReport | undefined) => w !== undefined && !w.suppressed;
    for (const [scopePath, scope] of [
      [campaignPath(), "campaign"],
      ["/communities/climat/reports.json", "community"],
    ] as const) {
      const days = await get(server.origin, `${scopePath}?window=day`);
      const weeks = await get(server.origin, `${scopePath}?window=week`);
      for (const week of weeks.windows.filter(published)) {
        // The days of a published week that are not published must together hold ≥ k authors.
        const { start, end } = windowBounds(week.key, "week");
        const hidden = days.windows.filter((d) => d.start! >= start! && d.start! < end! && d.suppressed);
        if (hidden.length === 0) continue;
        const authors = new Set(
          hidden.flatMap((d) => [
            ...authorsIn(scope === "campaign" ? "campaign" : "rest", d.start!, d.end!),
            ...(scope === "community" ? authorsIn("campaign", d.start!, d.end!) : []),
          ]),
        );
        expect(authors.size, `${scope} week ${week.key}`).toBeGreaterThanOrEqual(K);
      }
    }
    // The community's weeks minus the campaign's: the notes outside the campaign.
    const community = await get(server.origin, "/communities/climat/reports.json?window=week");
    const campaign = await get(server.origin, `${campaignPath()}?window=week`);
    for (const week of community.windows.filter(published)) {
      const twin = campaign.windows.find((w) => w.key === week.key);
      if (!published(twin)) continue;
      const rest = authorsIn("rest", week.start!, week.end!);
      expect(
        rest.size === 0 || rest.size >= K,
        `outside the campaign, week ${week.key}: ${rest.size} authors isolated`,
      ).toBe(true);
    }
    // The scenario's first week: 14 campaign authors, plus 3 outside it; one of the two weeks gives way.
    const first = (r: Report) => r.windows.find((w) => w.key === "2025-03-03");
    expect(published(first(community)) && published(first(campaign))).toBe(false);
  });

  it("the same statistics get the same noise in another server instance on the same database", async () => {
    // A second instance on the same database: concurrently on PostgreSQL, after a restart on PGlite.
    const dir = tempDir();
    const { env, drop } = await testEnv(kind, kind === "pglite" ? { ENSEMBLE_DATA_DIR: dir.path } : {});
    const start = async () => {
      const port = await freePort();
      const config = loadConfig({ ...env, PORT: String(port), ENSEMBLE_ORIGIN: `http://127.0.0.1:${port}` });
      return { origin: config.origin, ensemble: await startEnsemble(config) };
    };
    try {
      const a = await start();
      const other = await buildScenario(a.ensemble.services.db);
      const path = `/communities/climat/campaigns/${other.campaign.id}/report.json?window=week`;
      const first = await get(a.origin, path);
      let second: Report;
      if (kind === "postgres") {
        const b = await start();
        second = await get(b.origin, path);
        await b.ensemble.close();
        await a.ensemble.close();
      } else {
        await a.ensemble.close();
        const b = await start();
        second = await get(b.origin, path);
        await b.ensemble.close();
      }
      expect(first.windows.some((w) => !w.suppressed)).toBe(true);
      expect(second).toEqual(first);
    } finally {
      await drop();
      dir.remove();
    }
  }, 180_000);

  it("a hidden note leaves the figures, on the write path and in a rebuild", async () => {
    const db = server.services.db;
    const exact = { ...dp, reportEpsilon: undefined };
    const request = {
      scopeId: scenario.campaign.id,
      communityId: scenario.community.id,
      title: "",
      window: "campaign" as const,
      estimator: "acc" as const,
      generatedAt: new Date(),
    };
    const before = (await scopeReport(db, exact, request))!.windows[0] as PublishedWindow;
    // p5 wrote one note ("joy gratitude" at 2025-03-05): a moderator hides it.
    expect(await hideInboundNote(db, scenario.community.id, "https://peer.example/notes/10")).toBe(true);
    const after = (await scopeReport(db, exact, request))!.windows[0] as PublishedWindow;
    expect(after.notes).toBe((before.notes as number) - 1);
    expect(after.authors).toBe(before.authors - 1);
    const rollups = async () =>
      query(
        db,
        sql`select scope_id, spec, window_key, target, authors, notes::text, over_sum::text from report_window_stats order by 1, 2, 3, 4`,
      );
    const maintained = await rollups();
    await rebuildRollups(db, model);
    expect(await rollups()).toEqual(maintained);
  });
});
