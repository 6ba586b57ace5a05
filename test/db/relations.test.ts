import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  campaignSteps,
  campaigns,
  communities,
  inboundNotes,
  moderationFlags,
  participations,
} from "../../drizzle/schema";
import type { Database } from "../../src/db/database";
import { databaseKinds, openTestDatabase } from "../helpers/databases";

// The relations in drizzle/relations.ts reach the database handle: a campaign is read with its
// community, steps, votes and replies in one relational query, on each database.
describe.each(databaseKinds)("relations on %s", (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it("reads a campaign with its community, steps, votes and replies through `with:`", async () => {
    const { db } = database;
    const [community] = await db.insert(communities).values({ handle: "climat", name: "Climat" }).returning();
    const [campaign] = await db
      .insert(campaigns)
      .values({
        communityId: community.id,
        title: "Trees",
        description: "Plant",
        descriptionHtml: "<p>Plant</p>",
        language: "fr",
        startsAt: new Date("2026-01-01T00:00:00Z"),
        endsAt: new Date("2026-02-01T00:00:00Z"),
        status: "open",
      })
      .returning();
    const steps = await db
      .insert(campaignSteps)
      .values([
        { campaignId: campaign.id, position: 0, text: "Oak" },
        { campaignId: campaign.id, position: 1, text: "Elm" },
      ])
      .returning();
    await db.insert(participations).values({
      campaignId: campaign.id,
      stepId: steps[1].id,
      actorIri: "https://mastodon.example/users/ana",
      inboxUrl: "https://mastodon.example/users/ana/inbox",
      via: "vote",
      activityIri: "https://mastodon.example/votes/1",
    });
    await db.insert(inboundNotes).values({
      iri: "https://mastodon.example/notes/1",
      communityId: community.id,
      campaignId: campaign.id,
      authorIri: "https://mastodon.example/users/ana",
      contentHtml: "<p>Oui</p>",
      text: "Oui",
      published: new Date("2026-01-02T00:00:00Z"),
    });
    await db.insert(moderationFlags).values({
      communityId: community.id,
      reporterIri: "https://mastodon.example/users/rita",
      activityIri: "https://mastodon.example/flags/1",
      objectIris: ["https://mastodon.example/notes/1"],
    });

    const [read] = await db.query.campaigns.findMany({
      where: (c, { eq }) => eq(c.id, campaign.id),
      with: {
        community: true,
        steps: { orderBy: (s, { asc }) => asc(s.position) },
        participations: { with: { step: true } },
        replies: true,
      },
    });
    expect(read.community.handle).toBe("climat");
    expect(read.steps.map((s) => s.text)).toEqual(["Oak", "Elm"]);
    expect(read.participations.map((p) => p.step?.text)).toEqual(["Elm"]);
    expect(read.replies.map((n) => n.text)).toEqual(["Oui"]);

    const withFlags = await db.query.communities.findFirst({
      where: (c, { eq }) => eq(c.id, community.id),
      with: { flags: true, campaigns: { columns: { title: true } } },
    });
    expect(withFlags?.flags.map((f) => f.activityIri)).toEqual(["https://mastodon.example/flags/1"]);
    expect(withFlags?.campaigns).toEqual([{ title: "Trees" }]);
  });
});
