// The rollups maintained by the note write path equal a recomputation from the raw rows, on
// both databases; and the bulk rebuild produces the same tables as the write path.

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database";
import { reportFromRows, reportFromStats } from "../../src/reports/publication/aggregate";
import { query } from "../../src/reports/rollups/db";
import type { ModelInfo } from "../../src/reports/model/model-info";
import { shippedModel } from "../../src/reports/model/shipped-model";
import { loadReportInput } from "../../src/reports/publication/read";
import { rebuildRollups, rebuildStaleRollups } from "../../src/reports/rollups/rollup-rebuild";
import type { WindowSpec } from "../../src/reports/rollups/windows";
import { databaseKinds, openTestDatabase } from "../helpers/databases";
import { buildScenario, readScoredRows, type Scenario } from "./scenario";

const model = shippedModel()!.info;
const options = (window: WindowSpec) => ({
  window,
  estimator: "acc" as const,
  generatedAt: new Date("2025-04-01T00:00:00Z"),
  title: "t",
  k: 11,
});

describe.each(databaseKinds)("rollups on %s", (kind) => {
  let database: Database;
  let drop = async () => {};
  let scenario: Scenario;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
    scenario = await buildScenario(database.db);
  }, 180_000); // a shared 2-core machine can take minutes to start a server and store the scenario
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  const scopes = () => [
    {
      name: "campaign",
      scopeId: scenario.campaign.id,
      rows: () => readScoredRows(database.db, { communityId: scenario.community.id, campaignId: scenario.campaign.id }),
    },
    {
      name: "community",
      scopeId: scenario.community.id,
      rows: () => readScoredRows(database.db, { communityId: scenario.community.id }),
    },
  ];

  it.each(["day", "week", "campaign"] as const)(
    "%s reports from the rollups equal reportFromRows, for both scopes",
    async (window) => {
      for (const scope of scopes()) {
        for (const estimator of ["acc", "pacc"] as const) {
          const o = { ...options(window), estimator };
          const fromRollups = reportFromStats(
            await loadReportInput(database.db, model, scope.scopeId, window, 11),
            model,
            o,
          );
          expect(fromRollups, `${scope.name} ${window} ${estimator}`).toEqual(
            reportFromRows(await scope.rows(), model, o),
          );
        }
      }
    },
  );

  it("the scenario exercises suppression (primary and complementary)", async () => {
    const r = reportFromStats(
      await loadReportInput(database.db, model, scenario.campaign.id, "week", 11),
      model,
      options("week"),
    );
    expect(r.windows.map((w) => [w.key, w.suppressed])).toEqual([
      ["2025-03-03", false],
      ["2025-03-10", true],
      ["2025-03-17", true],
    ]);
    expect(r.total).toMatchObject({ suppressed: false, notes: 35, authors: 31 });
  });

  it("a raised k and noise give the same report from both paths", async () => {
    const o = { ...options("week"), k: 14, noise: { epsilon: 2, seed: 9 } };
    const fromRollups = reportFromStats(
      await loadReportInput(database.db, model, scenario.campaign.id, "week", 14),
      model,
      o,
    );
    expect(fromRollups).toEqual(reportFromRows(await scopes()[0].rows(), model, o));
  });

  it("rebuildRollups recomputes exactly the tables the write path maintained", async () => {
    const snapshot = async () => ({
      authors: await query(
        database.db,
        sql`select scope_id::text, spec, window_key, author_iri, notes, over::text, prob::text from report_author_windows order by 1, 2, 3, 4`,
      ),
      stats: await query(
        database.db,
        sql`select scope_id::text, spec, window_key, target, authors, notes::text, notes_sq::text, over_sum::text, over_sq::text, over_x_notes::text, over_share::text, over_share_sq::text, prob_sum::text, prob_sq::text, prob_x_notes::text, prob_share::text, prob_share_sq::text from report_window_stats where authors > 0 order by 1, 2, 3, 4`,
      ),
    });
    const incremental = await snapshot();
    expect(incremental.authors.length).toBeGreaterThan(100);
    await rebuildRollups(database.db, model);
    expect(await snapshot()).toEqual(incremental);
    await rebuildRollups(database.db, model, scenario.campaign.id);
    expect(await snapshot()).toEqual(incremental);

    // Rollups written before the language targets existed (35 entries per row) are rebuilt at start-up.
    expect(await rebuildStaleRollups(database.db, model)).toBe(false);
    await database.db.execute(
      sql`update report_author_windows set over = over[1:35], prob = prob[1:35] where spec = 'week'`,
    );
    expect(await rebuildStaleRollups(database.db, model)).toBe(true);
    expect(await snapshot()).toEqual(incremental);

    // Rollups written under other recalibration maps (a new models/emotion-calibration.json) are
    // rebuilt too: here every French group probability halved, then back to the shipped maps.
    const fr = model.languages!.recalibration!.fr!;
    const halved: ModelInfo = {
      ...model,
      languages: {
        ...model.languages!,
        recalibration: {
          fr: Object.fromEntries(
            Object.entries(fr).map(([g, m]) => [g, { knots: m.knots, values: m.values.map((v) => v / 2) }]),
          ),
        },
      },
    };
    expect(await rebuildStaleRollups(database.db, halved)).toBe(true);
    expect(await snapshot()).not.toEqual(incremental);
    expect(await rebuildStaleRollups(database.db, halved)).toBe(false);
    expect(await rebuildStaleRollups(database.db, model)).toBe(true);
    expect(await snapshot()).toEqual(incremental);
  });
});
