// report:eval's real path: campaigns on a real server, replies signed by a Mastodon-like peer and
// sent through the inbox, reports read back as public JSON.
import { sql } from "drizzle-orm";
import { createCampaign, publishCampaign } from "../../src/domain/campaigns";
import { createCommunity } from "../../src/domain/communities";
import { type AdjustedEstimator, rebuildRollups, type Report, shippedModel } from "../../src/reports";
import { startTestEnsemble } from "../../test/helpers/ensemble";
import { startPeer } from "../../test/helpers/mastodon-peer";
import type { Campaign } from "./eval";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Sends every campaign's posts, waits until the inbox has stored them all, reads the reports. */
export async function sendCampaigns(
  campaigns: Campaign[],
  authors: number,
  estimators: AdjustedEstimator[],
  useFold: (fold: number | null) => void,
): Promise<Map<string, Report>> {
  const usernames = Array.from({ length: authors }, (_, i) => `p${i}`);
  const [ensemble, peer] = await Promise.all([
    // exact figures: this measures the model and its correction, with the replies of 40
    // evaluation accounts; the privacy noise of the default release is stated separately
    // (and rate limits far above the load: one peer server sends every reply, and the limiter
    // answers 429 to a single server past 600 activities a minute)
    startTestEnsemble("pglite", {
      ENSEMBLE_REPORT_EPSILON: "off",
      ENSEMBLE_RATE_INBOX_SERVER: "1000000",
      ENSEMBLE_RATE_INBOX_ACTOR: "1000000",
      ENSEMBLE_RATE_INBOX_ADDRESS: "1000000",
      ENSEMBLE_RATE_REPORTS: "1000000",
    }),
    startPeer({ usernames }),
  ]);
  try {
    const db = ensemble.services.db;
    const community = await createCommunity(db, { handle: "eval", name: "Eval" });
    const target = `${ensemble.origin}/communities/eval`;
    const ids = new Map<string, string>();
    for (const c of campaigns) {
      const draft = await createCampaign(db, community.id, {
        title: c.name,
        steps: ["A", "B"],
        startsAt: new Date(Date.now() - 3600_000),
        endsAt: new Date(Date.now() + 86400_000),
      });
      ids.set(c.name, (await publishCampaign(db, draft)).id);
    }
    const jobs = campaigns.flatMap((c) => c.posts.map((p, i) => ({ c, p, i })));
    let next = 0;
    const t0 = Date.now();
    const sendOne = async ({ c, p, i }: (typeof jobs)[number]) => {
      const u = usernames[i % authors];
      const note = `${peer.origin}/users/${u}/statuses/${c.name}-${i}`;
      const html = `<p>${escapeHtml(p.text)}</p>`;
      const now = new Date().toISOString();
      const activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${note}/activity`,
        type: "Create",
        actor: peer.actorUrl(u),
        published: now,
        to: [target],
        cc: ["https://www.w3.org/ns/activitystreams#Public"],
        object: {
          id: note,
          type: "Note",
          inReplyTo: `${target}/campaigns/${ids.get(c.name)}`,
          published: now,
          attributedTo: peer.actorUrl(u),
          to: [target],
          cc: ["https://www.w3.org/ns/activitystreams#Public"],
          content: html,
          contentMap: { [p.lang]: html },
        },
      };
      // A keep-alive connection the server closed may reset, or a slow answer time out; redelivery
      // is harmless (a note is stored once).
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await peer.signedPost(`${target}/inbox`, activity, { username: u });
          if (res.status >= 300) throw new Error(`inbox answered ${res.status} for ${note}: ${await res.text()}`);
          return;
        } catch (err) {
          // On a loaded machine an answer may also take longer than the peer's 10 s outbound limit.
          const why = String((err as Error).cause ?? err);
          if (attempt >= 5 || !(why.includes("ECONNRESET") || why.includes("no complete answer"))) throw err;
        }
      }
    };
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) {
          await sendOne(jobs[next++]);
          if (next % 500 === 0)
            console.log(`  ${next}/${jobs.length} replies sent (${Math.round((Date.now() - t0) / 1000)} s)`);
        }
      }),
    );
    // The inbox queues activities; wait until every note is stored (and so rolled up), or until
    // nothing has moved for a minute (a reply the inbox refuses, e.g. one with no text, is not stored).
    let last = -1;
    let since = Date.now();
    for (;;) {
      const rows = (await db.execute(sql`select count(*)::int as n from inbound_notes`)) as unknown;
      const n = Number((Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows)[0].n);
      if (n >= jobs.length) break;
      if (n !== last) (last = n), (since = Date.now()), console.log(`  ${n}/${jobs.length} notes stored`);
      if (Date.now() - since > 60_000) {
        console.log(`  ${jobs.length - n} replies were not stored (the report counts only what the inbox kept)`);
        break;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    console.log(`${jobs.length} replies through the inbox in ${Math.round((Date.now() - t0) / 1000)} s`);
    const out = new Map<string, Report>();
    for (const c of campaigns) {
      useFold(c.fold);
      // French posts were rolled up as they arrived, with the shipped maps (fitted on every fold):
      // rebuild this campaign's rollups with the maps fitted without its fold (the same SQL a
      // model change runs), so that neither its rates nor its maps ever saw its posts.
      if (c.fold !== null) await rebuildRollups(db, shippedModel()!.info, ids.get(c.name));
      for (const estimator of estimators) {
        const res = await fetch(
          `${target}/campaigns/${ids.get(c.name)}/report.json?window=campaign&estimator=${estimator}`,
          { headers: { accept: "application/json" } },
        );
        if (!res.ok) throw new Error(`report of ${c.name}: HTTP ${res.status} ${await res.text()}`);
        out.set(`${c.name}/${estimator}`, (await res.json()) as Report);
      }
    }
    useFold(null);
    return out;
  } finally {
    await peer.close();
    await ensemble.stop();
  }
}
