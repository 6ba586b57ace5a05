import { and, asc, eq, or, sql } from "drizzle-orm";
import { inboundNotes, participations } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { isBlocked } from "./blocks";

/**
 * Public thanks, opt-in. Any fediverse user chooses, from their own client, to be named in a
 * campaign's outcome by replying to the campaign with the hashtag #EnsembleMerci (#ThankMe
 * works too); a later reply with #EnsembleAnonyme (#NoThanks) takes it back, and so does
 * deleting the opt-in reply. Everyone else is counted, never named. Only the author's own
 * replies count (signed deliveries, stored per author), so nobody can opt someone else in.
 */

export const OPT_IN_TAGS = ["ensemblemerci", "thankme"] as const;
export const OPT_OUT_TAGS = ["ensembleanonyme", "nothanks"] as const;

const tagsOf = (text: string) => new Set([...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1].toLowerCase()));

export interface Recognition {
  /** Actor IRIs that opted in (and are not blocked), in the order they did. */
  named: string[];
  /** Everyone else who took part (voted, joined or replied): counted only. */
  others: number;
}

export async function recognition(db: Db, communityId: string, campaignId: string): Promise<Recognition> {
  // replies carrying either tag, oldest first: the latest one of each author decides
  const tagged = await db
    .select({ author: inboundNotes.authorIri, text: inboundNotes.text })
    .from(inboundNotes)
    .where(
      and(
        eq(inboundNotes.campaignId, campaignId),
        or(...[...OPT_IN_TAGS, ...OPT_OUT_TAGS].map((tag) => sql`${inboundNotes.text} ilike ${`%#${tag}%`}`)),
      ),
    )
    .orderBy(asc(inboundNotes.published));
  const choice = new Map<string, boolean>();
  for (const { author, text } of tagged) {
    const tags = tagsOf(text);
    if (OPT_OUT_TAGS.some((t) => tags.has(t))) choice.set(author, false);
    else if (OPT_IN_TAGS.some((t) => tags.has(t))) choice.set(author, true);
  }
  const named: string[] = [];
  for (const [author, yes] of choice) if (yes && !(await isBlocked(db, communityId, author))) named.push(author);
  const people = new Set([
    ...(
      await db
        .selectDistinct({ who: participations.actorIri })
        .from(participations)
        .where(eq(participations.campaignId, campaignId))
    ).map((r) => r.who),
    ...(
      await db
        .selectDistinct({ who: inboundNotes.authorIri })
        .from(inboundNotes)
        .where(eq(inboundNotes.campaignId, campaignId))
    ).map((r) => r.who),
  ]);
  return { named, others: [...people].filter((who) => !named.includes(who)).length };
}
