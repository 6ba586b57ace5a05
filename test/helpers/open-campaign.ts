import { sql } from "drizzle-orm";
import { createCampaign, publishCampaign, type Campaign } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import type { TestEnsemble } from "./ensemble";

/** A community and a campaign open since an hour ago for a day, and the URLs peers address. */
export async function openCampaign(ensemble: TestEnsemble, handle = "climat") {
  const db = ensemble.services.db;
  const community: Community = await createCommunity(db, { handle, name: "Climat" });
  const draft = await createCampaign(db, community.id, {
    title: "Rouen respire",
    description: "Trois pas.",
    steps: ["Signer", "Venir"],
    startsAt: new Date(Date.now() - 3600_000),
    endsAt: new Date(Date.now() + 86400_000),
  });
  const campaign: Campaign = await publishCampaign(db, draft);
  const communityUrl = `${ensemble.origin}/communities/${handle}`;
  return { community, campaign, communityUrl, questionId: `${communityUrl}/campaigns/${campaign.id}` };
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
