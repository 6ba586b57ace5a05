import { createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followers } from "../../drizzle/schema";
import { announceCampaign } from "../../federation/outbox";
import { createCampaign, publishCampaign } from "../../src/domain/campaigns";
import { createCommunity } from "../../src/domain/communities";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

/**
 * One activity, followers on a live server (several, sharing its inbox) and on a dead one
 * (connections reset): the live server gets it once; the dead one is retried with backoff up
 * to the failure limit, then skipped.
 */
describe("delivery: shared inbox once, retries, then a dead server skipped (pglite)", () => {
  const LIMIT = 2;
  let ensemble: TestEnsemble;
  let live: Peer;
  let dead: Server;
  let deadOrigin: string;
  const attempts: number[] = [];

  beforeAll(async () => {
    ensemble = await startTestEnsemble("pglite", {
      ENSEMBLE_HOST_FAILURE_LIMIT: String(LIMIT),
      ENSEMBLE_HOST_RETRY_AFTER_SECONDS: "600",
    });
    live = await startPeer({ usernames: ["alice", "bob", "carol"] });
    dead = createServer((socket) => {
      attempts.push(Date.now());
      socket.resetAndDestroy();
    });
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    deadOrigin = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await live?.close();
    await new Promise<void>((r) => (dead ? dead.close(() => r()) : r()));
    await ensemble?.stop();
  });

  it("delivers once per server and stops knocking on a dead one", async () => {
    const db = ensemble.services.db;
    const community = await createCommunity(db, { handle: "climat", name: "Climat" });
    const rows = [
      ...["alice", "bob", "carol"].map((u) => ({ origin: live.origin, u })),
      ...["x", "y"].map((u) => ({ origin: deadOrigin, u })),
    ].map(({ origin, u }) => ({
      communityId: community.id,
      actorIri: `${origin}/users/${u}`,
      inboxUrl: `${origin}/users/${u}/inbox`,
      sharedInboxUrl: `${origin}/inbox`,
    }));
    await db.insert(followers).values(rows);
    const campaign = await publishCampaign(
      db,
      await createCampaign(db, community.id, {
        title: "Rouen respire",
        steps: ["Sign"],
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 86400_000),
      }),
    );
    const ctx = ensemble.federation.createContext(new URL(ensemble.origin), ensemble.services);
    await announceCampaign(ctx, community, campaign);

    const create = await live.waitForDelivery((d) => d.body?.type === "Create");
    expect(create.path).toBe("/inbox");
    expect(create.verified).toBe(true);
    // retried with backoff (~1 s, jittered) until the limit…
    await waitFor(() => (attempts.length >= LIMIT ? true : undefined), 20_000);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(400);
    // …then skipped: nothing more, while the live server got the activity exactly once
    await new Promise((r) => setTimeout(r, 5_000));
    expect(attempts).toHaveLength(LIMIT);
    expect(live.deliveries.filter((d) => d.body?.type === "Create")).toHaveLength(1);
  }, 45_000);
});
