import { generateKeyPairSync } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { participations } from "../../drizzle/schema";
import type { Campaign } from "../../src/domain/campaigns";
import type { Community } from "../../src/domain/communities";
import { findInboundNote } from "../../src/domain/notes";
import { loadConfig } from "../../src/config";
import { startEnsemble, type Ensemble } from "../../src/server";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, testEnv, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { openCampaign, reportedNotes } from "../helpers/open-campaign";
import { startTcpProxy } from "../ops/tcp-proxy";

const AS = "https://www.w3.org/ns/activitystreams";

/** A reply as Mastodon sends it (its inline context included), to the campaign's Question. */
function reply(peer: Peer, username: string, status: string, questionId: string, text: string) {
  const actor = peer.actorUrl(username);
  const id = `${actor}/statuses/${status}`;
  return {
    "@context": [
      AS,
      { ostatus: "http://ostatus.org#", sensitive: "as:sensitive", toot: "http://joinmastodon.org/ns#" },
    ],
    id: `${id}/activity`,
    type: "Create",
    actor,
    published: new Date().toISOString(),
    to: [`${AS}#Public`],
    cc: [`${actor}/followers`],
    object: {
      id,
      type: "Note",
      summary: null,
      inReplyTo: questionId,
      published: new Date().toISOString(),
      attributedTo: actor,
      to: [`${AS}#Public`],
      cc: [`${actor}/followers`],
      sensitive: false,
      content: `<p>${text}</p>`,
      contentMap: { en: `<p>${text}</p>` },
    },
  };
}

/** Jobs waiting in the inbox queues: Fedify's and the fast lane's batch queue. */
const inboxQueued = async (ensemble: TestEnsemble) =>
  (await ensemble.boss.getQueueSize("fedify-inbox")) + (await ensemble.boss.getQueueSize("fedify-inbox-batch"));

/** The inbox queues' jobs for an activity, and whether the fast lane queued them (kept a day after completion). */
async function jobsFor(db: TestEnsemble["services"]["db"], noteIri: string) {
  const rows = await db.execute(
    sql`select (data ? 'fastLane') as fast from pgboss.job where name in ('fedify-inbox', 'fedify-inbox-batch') and data::text like ${`%${noteIri}%`}`,
  );
  return ((rows as any).rows ?? rows) as Array<{ fast: boolean }>;
}

describe.each(databaseKinds)("inbox fast lane (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let forger: Peer;
  let community: Community;
  let campaign: Campaign;
  let questionId: string;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    // a key served by alice's server that her actor does not list
    peer = await startPeer({ usernames: ["alice", "bob"], loneKeys: { stray: { owner: "alice" } } });
    // mallory's key document on another server says alice owns it
    forger = await startPeer({ usernames: ["mallory"], keyOwners: { mallory: peer.actorUrl("alice") } });
    ({ community, campaign, questionId } = await openCampaign(ensemble));
  });
  afterAll(async () => {
    await peer?.close();
    await forger?.close();
    await ensemble?.stop();
  });

  it("stores, scores and rolls up a signed reply once, even when it is delivered twice", async () => {
    const activity = reply(peer, "alice", "1", questionId, "Thank you so much, this is wonderful!");
    const noteIri = activity.object.id;
    for (let i = 0; i < 2; i++) expect((await peer.signedPost(`${ensemble.origin}/inbox`, activity)).status).toBe(202);
    const note = await waitFor(() => findInboundNote(ensemble.services.db, noteIri));
    // both deliveries were handled (the queue has nothing left for it) before counting
    await waitFor(async () => ((await inboxQueued(ensemble)) === 0 ? true : undefined));
    const jobs = await jobsFor(ensemble.services.db, noteIri);
    expect(jobs).toHaveLength(2);
    expect(jobs.every((j) => j.fast)).toBe(true);
    expect(note.campaignId).toBe(campaign.id);
    expect(note.audience).toBe("public");
    expect(note.language).toBe("en");
    expect(note.authorUsername).toBe("alice");
    expect(note.emotionScores).toHaveLength(28);
    expect(note.emotionModel).toBeTruthy();
    await waitFor(async () => ((await reportedNotes(ensemble, campaign.id)) === 1 ? true : undefined));
    // and stays once
    await new Promise((r) => setTimeout(r, 500));
    expect(await reportedNotes(ensemble, campaign.id)).toBe(1);
  });

  it("refuses with 401, and stores nothing, a wrong digest, an old date, a key the actor does not list, a forged owner or signature, and a body changed after signing", async () => {
    const inbox = `${ensemble.origin}/inbox`;
    const bad = (n: string) => reply(peer, "alice", n, questionId, `Bad ${n}`);
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const attempts: Array<[string, () => Promise<Response>]> = [
      ["digest", () => peer.signedPost(inbox, bad("digest"), { digestOf: "something else" })],
      ["date", () => peer.signedPost(inbox, bad("date"), { date: new Date(Date.now() - 2 * 3600_000) })],
      ["unlisted", () => peer.signedPost(inbox, bad("unlisted"), { loneKey: "stray" })],
      ["owner", () => forger.signedPost(inbox, bad("owner"), { username: "mallory" })],
      ["forged", () => peer.signedPost(inbox, bad("forged"), { privateKey: stranger })],
      [
        "body",
        () =>
          peer.signedPost(inbox, bad("body"), {
            bodyOverride: JSON.stringify({
              ...bad("body"),
              object: { ...bad("body").object, content: "<p>Changed</p>" },
            }),
          }),
      ],
    ];
    for (const [what, attempt] of attempts) expect([what, (await attempt()).status]).toEqual([what, 401]);
    // a good one sent after them is stored; the bad ones never were queued
    const good = reply(peer, "bob", "after-bad", questionId, "Glad to help");
    expect((await peer.signedPost(inbox, good, { username: "bob" })).status).toBe(202);
    await waitFor(() => findInboundNote(ensemble.services.db, good.object.id));
    for (const [what] of attempts) {
      const iri = bad(what).object.id;
      expect(await findInboundNote(ensemble.services.db, iri)).toBeUndefined();
      expect(await jobsFor(ensemble.services.db, iri)).toHaveLength(0);
    }
  });

  it("counts a poll vote once, however often it is delivered", async () => {
    const actor = peer.actorUrl("bob");
    const note = {
      id: `${actor}/statuses/vote-1`,
      type: "Note",
      name: "Signer",
      attributedTo: actor,
      inReplyTo: questionId,
      to: `${ensemble.origin}/communities/climat`,
    };
    const vote = { "@context": AS, id: `${note.id}/activity`, type: "Create", actor, to: note.to, object: note };
    for (let i = 0; i < 2; i++)
      expect((await peer.signedPost(`${ensemble.origin}/inbox`, vote, { username: "bob" })).status).toBe(202);
    await waitFor(async () => ((await inboxQueued(ensemble)) === 0 ? true : undefined));
    await waitFor(async () => ((await jobsFor(ensemble.services.db, note.id)).length === 2 ? true : undefined));
    expect((await jobsFor(ensemble.services.db, note.id)).every((j) => j.fast)).toBe(true);
    const votes = async () =>
      (
        await ensemble.services.db.select({ n: count() }).from(participations).where(eq(participations.actorIri, actor))
      )[0].n;
    await waitFor(async () => ((await votes()) === 1 ? true : undefined));
    // it is no reply: nothing stored as a note
    expect(await findInboundNote(ensemble.services.db, note.id)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 500));
    expect(await votes()).toBe(1);
  });

  it("leaves any other shape to Fedify, which handles it as before", async () => {
    // a default language in the context makes `content` French: only JSON-LD processing sees it
    const activity = reply(peer, "alice", "fr-1", questionId, "Merci beaucoup");
    const { contentMap: _, ...object } = activity.object;
    const french = { ...activity, "@context": [AS, { "@language": "fr" }], object };
    expect((await peer.signedPost(`${ensemble.origin}/communities/climat/inbox`, french)).status).toBe(202);
    const note = await waitFor(() => findInboundNote(ensemble.services.db, object.id));
    expect(note.language).toBe("fr");
    expect(note.communityId).toBe(community.id);
    expect(await jobsFor(ensemble.services.db, object.id)).toEqual([{ fast: false }]);
  });
});

/** The database goes away (through a proxy) under a running server: 503, and nothing lost once it is back. */
describe.skipIf(!process.env.TEST_DATABASE_URL)("inbox fast lane while the database is away (postgres)", () => {
  let ensemble: Ensemble;
  let peer: Peer;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const test = await testEnv("postgres");
    drop = test.drop;
    const url = new URL(test.env.DATABASE_URL);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    ensemble = await startEnsemble(loadConfig({ ...test.env, DATABASE_URL: url.href }));
    peer = await startPeer({ usernames: ["alice"] });
  });
  afterAll(async () => {
    await peer?.close();
    await ensemble?.close({ timeoutMs: 2000 }).catch(() => {});
    await proxy?.close();
    await drop?.();
  });

  it("answers 503 with Retry-After, and the retried activity is stored once the database is back", async () => {
    const origin = `http://127.0.0.1:${new URL(ensemble.url).port}`;
    const { questionId } = await openCampaign({ ...ensemble, origin } as TestEnsemble);
    const first = reply(peer, "alice", "before", questionId, "Before the outage");
    expect((await peer.signedPost(`${origin}/inbox`, first)).status).toBe(202);
    await waitFor(() => findInboundNote(ensemble.services.db, first.object.id));

    await proxy.cut();
    const during = reply(peer, "alice", "during", questionId, "During the outage");
    const refused = await peer.signedPost(`${origin}/inbox`, during);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    await proxy.restore();
    // the sender retries until it is accepted
    const accepted = await waitFor(async () => {
      const res = await peer.signedPost(`${origin}/inbox`, during);
      return res.status === 202 ? res : undefined;
    }, 30_000);
    expect(accepted.status).toBe(202);
    const stored = await waitFor(() => findInboundNote(ensemble.services.db, during.object.id), 30_000);
    expect(stored.emotionScores).toHaveLength(28);
  }, 90_000);
});
