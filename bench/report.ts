// Sentiment report latency: a campaign with 1,000,000 scored notes from 50,000 authors over
// 12 weeks, in a scratch PostgreSQL database; rollups built by rebuildRollups (the same sums
// the write path maintains); then the report (rollup read + estimators + HTML render) timed.
//
//   npm run bench:report      (BENCH_DATABASE_URL or TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)

import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "../src/db/database";
import { ReportPage } from "../src/site/pages/report";
import { query, rebuildRollups, scopeReport, shippedModel, type WindowSpec } from "../src/reports";

const NOTES = Number(process.env.BENCH_NOTES ?? 1_000_000);
const AUTHORS = Number(process.env.BENCH_AUTHORS ?? 50_000);
const RUNS = 20;
const admin =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const model = shippedModel()?.info;
if (!model) throw new Error("models/emotion.json is missing");

const name = `ensemble_bench_${randomBytes(4).toString("hex")}`;
const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
await adminSql.unsafe(`CREATE DATABASE ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.href, dataDir: "" });
const db = database.db;

try {
  const [{ community }] = await query<{ community: string }>(
    db,
    sql`
    insert into communities (handle, name) values ('bench', 'Bench') returning id::text as community`,
  );
  const [{ campaign }] = await query<{ campaign: string }>(
    db,
    sql`
    insert into campaigns (community_id, title, description, description_html, language, starts_at, ends_at, status)
    values (${community}, 'Bench campaign', '', '', 'fr', '2025-01-06', '2025-03-31', 'open') returning id::text as campaign`,
  );

  let t = performance.now();
  // Scores: 28 deterministic pseudo-random values per note, mostly small (cubed uniform), so
  // every label has both sides of its threshold.
  await db.execute(sql`
    insert into inbound_notes (iri, community_id, campaign_id, author_iri, content_html, text, published, emotion_scores, emotion_model)
    select 'https://bench.example/notes/' || i, ${community}, ${campaign}, 'https://bench.example/users/' || (hashint4(i) & 2147483647) % ${AUTHORS},
           '', '', timestamptz '2025-01-06' + (i::float8 / ${NOTES}) * interval '84 days',
           array(select (power(((hashint4(i * 37 + j) & 2147483647)::float8 / 2147483647), 3))::real from generate_series(1, 28) j),
           ${model.version}
    from generate_series(1, ${NOTES}::int) i`);
  const loaded = performance.now() - t;
  t = performance.now();
  const { authorWindows } = await rebuildRollups(db, model);
  const rebuilt = performance.now() - t;
  await db.execute(sql`analyze`);
  const [{ authors }] = await query<{ authors: number }>(
    db,
    sql`select count(distinct author_iri)::int as authors from inbound_notes`,
  );

  const config = { reportMinAuthors: 11, reportEpsilon: undefined, reportMaxNotesPerAuthor: 3 };
  const links = { path: "/r", up: { href: "/", label: "up" } };
  const time = async (window: WindowSpec) => {
    const once = async () => {
      const report = await scopeReport(db, config, {
        scopeId: campaign,
        communityId: community,
        title: "Bench campaign",
        window,
        estimator: "acc",
        generatedAt: new Date(),
      });
      return String(await ReportPage({ report: report!, links }).toString()).length;
    };
    await once(); // warm-up: plans, JIT
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      bytes = await once();
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)].toFixed(1);
    console.log(
      `  window=${window.padEnd(8)} p50 ${at(0.5)} ms   p99 ${at(0.99)} ms   (${RUNS} runs, HTML ${(bytes / 1024).toFixed(0)} KiB)`,
    );
  };

  const [{ version }] = await query<{ version: string }>(db, sql`select version()`);
  console.log(`command: npm run bench:report   (${process.argv.slice(1).join(" ")})`);
  console.log(
    `machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  console.log(`database: ${version.split(",")[0]}`);
  console.log(
    `load: ${NOTES.toLocaleString("en")} scored notes, ${authors.toLocaleString("en")} authors, 12 weeks, one campaign`,
  );
  console.log(
    `  bulk insert ${(loaded / 1000).toFixed(1)} s; rebuildRollups ${(rebuilt / 1000).toFixed(1)} s (${authorWindows.toLocaleString("en")} author-window rows)`,
  );
  console.log("campaign report (rollup read + estimators + suppression + HTML render):");
  for (const window of ["campaign", "week", "day"] as const) await time(window);
} finally {
  await database.close();
  await adminSql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminSql.end();
}
