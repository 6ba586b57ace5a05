import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { eq, inArray } from "drizzle-orm";
import { communities, inboundNotes } from "../drizzle/schema";
import { findCommunity, type Community } from "../src/domain/communities";
import { storeFlag } from "../src/domain/moderation";
import type { Services } from "../src/services";
import { localTarget } from "./targets";

/**
 * A Flag (what Mastodon's users send as a "report"): queued for the moderators of the community
 * it concerns. That is the community whose inbox it came to, or one it names, or the one that
 * received a flagged reply. The flagging actor's IRI is kept for moderators only.
 */
export async function onFlag(ctx: InboxContext<Services>, flag: Flag): Promise<void> {
  if (!flag.id || !flag.actorId) return;
  const objects = flag.objectIds.map((u) => u.href);
  const community = await concerned(ctx, flag, objects);
  if (!community) return;
  await storeFlag(ctx.data.db, {
    communityId: community.id,
    reporterIri: flag.actorId.href,
    activityIri: flag.id.href,
    objectIris: objects,
    content: flag.content?.toString() ?? "",
  });
}

async function concerned(ctx: InboxContext<Services>, flag: Flag, objects: string[]): Promise<Community | undefined> {
  if (ctx.recipient) return findCommunity(ctx.data.db, ctx.recipient);
  for (const id of flag.objectIds) {
    const target = await localTarget(ctx, id);
    if (target) return target.community;
  }
  if (objects.length === 0) return undefined;
  const [note] = await ctx.data.db
    .select({ communityId: inboundNotes.communityId })
    .from(inboundNotes)
    .where(inArray(inboundNotes.iri, objects))
    .limit(1);
  if (!note) return undefined;
  const [community] = await ctx.data.db.select().from(communities).where(eq(communities.id, note.communityId));
  return community;
}
