import { createCampaign, publishCampaign } from "../../src/domain/campaigns";
import { createCommunity } from "../../src/domain/communities";
import { openDatabase, type Db } from "../../src/db/database";
import { freshPostgresDatabase } from "../helpers/databases";

/** Where scratch databases are created: TEST_DATABASE_URL, as the other PostgreSQL tests. */
export const adminUrl = process.env.TEST_DATABASE_URL;

/** Scratch databases named for the ops tests, so leftovers are recognisable. */
export const scratchDatabase = (admin: string, prefix = "ensemble_ops") => freshPostgresDatabase(admin, prefix);

/**
 * Migrates the database and creates community `climat` with one published campaign, as a
 * steward would; returns the campaign's Question id (what Mastodon replies to).
 */
export async function seedCampaign(databaseUrl: string, origin: string) {
  const database = await openDatabase({ databaseUrl, dataDir: "unused", poolSize: 2 });
  try {
    const db: Db = database.db;
    const community = await createCommunity(db, { handle: "climat", name: "Climat Rouen" });
    const draft = await createCampaign(db, community.id, {
      title: "Rouen respire",
      description: "Trois petits pas pour l'air de Rouen.",
      steps: ["Sign the letter", "Come on Saturday"],
      startsAt: new Date(Date.now() - 3600_000),
      endsAt: new Date(Date.now() + 7 * 86400_000),
    });
    const campaign = await publishCampaign(db, draft);
    return {
      communityId: community.id,
      campaignId: campaign.id,
      questionId: `${origin}/communities/climat/campaigns/${campaign.id}`,
    };
  } finally {
    await database.close();
  }
}
