import { and, eq, or } from "drizzle-orm";
import { blocks } from "../../drizzle/schema";
import type { Db } from "../db/database";

/** Whether a community refuses this actor, by its IRI or its whole domain. */
export async function isBlocked(db: Db, communityId: string, actorIri: string): Promise<boolean> {
  const host = new URL(actorIri).hostname.toLowerCase();
  const [row] = await db
    .select({ value: blocks.value })
    .from(blocks)
    .where(
      and(
        eq(blocks.communityId, communityId),
        or(and(eq(blocks.kind, "actor"), eq(blocks.value, actorIri)), and(eq(blocks.kind, "domain"), eq(blocks.value, host))),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function addBlock(db: Db, communityId: string, kind: "actor" | "domain", value: string): Promise<void> {
  const normalized = kind === "domain" ? value.toLowerCase() : value;
  await db.insert(blocks).values({ communityId, kind, value: normalized }).onConflictDoNothing();
}
