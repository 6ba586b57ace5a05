import { sql } from "drizzle-orm";
import { openDatabase, type Db } from "../../src/db/database";
import { createCampaign, publishCampaign, type Campaign } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import type { TestEnsemble } from "./ensemble";

// The set-up shared by the tests, the operations tests and the benchmarks (bench/): a community
// with one open campaign, made as a steward would, through the domain functions.

/** A community and a campaign open since an hour ago for a day, and the URLs peers address. */
export async function createOpenCampaign(db: Db, origin: string, handle = "climat") {
  const community: Community = await createCommunity(db, { handle, name: "Climat" });
  const draft = await createCampaign(db, community.id, {
    title: "Rouen respire",
    description: "Trois pas.",
    steps: ["Signer", "Venir"],
    startsAt: new Date(Date.now() - 3600_000),
    endsAt: new Date(Date.now() + 86400_000),
  });
  const campaign: Campaign = await publishCampaign(db, draft);
  const communityUrl = `${origin}/communities/${handle}`;
  return { community, campaign, communityUrl, questionId: `${communityUrl}/campaigns/${campaign.id}` };
}

/** The same, on a server running in this process. */
export const openCampaign = (ensemble: TestEnsemble, handle = "climat") =>
  createOpenCampaign(ensemble.services.db, ensemble.origin, handle);

/**
 * The same, for servers run as separate processes: migrates the database at `databaseUrl` first
 * (as the server would) and returns what a peer addresses.
 */
export async function seedCampaign(databaseUrl: string, origin: string, handle = "climat") {
  const database = await openDatabase({ databaseUrl, dataDir: "unused", poolSize: 2 });
  try {
    const { community, campaign, questionId } = await createOpenCampaign(database.db, origin, handle);
    return { communityId: community.id, campaignId: campaign.id, questionId };
  } finally {
    await database.close();
  }
}

/** How many notes the sentiment-report rollups count for a scope (community or campaign), over its whole span. */
export async function reportedNotes(ensemble: TestEnsemble, scopeId: string): Promise<number> {
  const rows = await ensemble.services.db.execute(
    sql`select coalesce(sum(notes), 0)::int as n from report_window_stats where scope_id = ${scopeId} and spec = 'campaign' and target = 0`,
  );
  return Number(((rows as any).rows ?? rows)[0].n);
}

/** How many author-window rows of the rollups an author has: 0 when nothing of theirs was ever counted. */
export async function reportRowsOf(ensemble: TestEnsemble, authorIri: string): Promise<number> {
  const rows = await ensemble.services.db.execute(
    sql`select count(*)::int as c from report_author_windows where author_iri = ${authorIri}`,
  );
  return Number(((rows as any).rows ?? rows)[0].c);
}
