import { and, desc, eq, inArray, or } from "drizzle-orm";
import { blocks, type Block } from "../../drizzle/schema";
import type { Db } from "../db/database";

/** The row types live beside their tables; re-exported for this module's callers. */
export type { Block };

/** A host and every domain above it: a block of `example.org` covers `social.example.org`. */
export function domainsOf(host: string): string[] {
  const labels = host.toLowerCase().replace(/\.$/, "").split(".");
  // an IP address has no parent domains
  if (/^\d+$/.test(labels.at(-1) ?? "") || host.includes(":")) return [host.toLowerCase()];
  return labels.map((_, i) => labels.slice(i).join("."));
}

/** Whether a community refuses this actor, by its IRI or its domain or any domain above it. */
export async function isBlocked(db: Db, communityId: string, actorIri: string): Promise<boolean> {
  return (await blockedAmong(db, [{ communityId, actorIri }])).size > 0;
}

/** The block rule: this block refuses this actor in this community, by its IRI or by its domain or any above. */
const refuses = (block: Pick<Block, "communityId" | "kind" | "value">, communityId: string, actorIri: string) =>
  block.communityId === communityId &&
  (block.kind === "actor"
    ? block.value === actorIri
    : block.kind === "domain" && domainsOf(new URL(actorIri).hostname).includes(block.value));

/**
 * Which of these (community, actor) pairs are refused, in one query for a whole batch of
 * inbound activities; the answer holds `blockKey(communityId, actorIri)` of each refused pair.
 */
export async function blockedAmong(
  db: Db,
  pairs: readonly { communityId: string; actorIri: string }[],
): Promise<Set<string>> {
  const unique = new Map(pairs.map((p) => [blockKey(p.communityId, p.actorIri), p]));
  if (unique.size === 0) return new Set();
  const list = [...unique.values()];
  // only the rows that could refuse one of the pairs; `refuses` says which pair each one refuses
  const rows = await db
    .select({ communityId: blocks.communityId, kind: blocks.kind, value: blocks.value })
    .from(blocks)
    .where(
      and(
        inArray(blocks.communityId, [...new Set(list.map((p) => p.communityId))]),
        or(
          and(eq(blocks.kind, "actor"), inArray(blocks.value, [...new Set(list.map((p) => p.actorIri))])),
          and(
            eq(blocks.kind, "domain"),
            inArray(blocks.value, [...new Set(list.flatMap((p) => domainsOf(new URL(p.actorIri).hostname)))]),
          ),
        ),
      ),
    );
  const refused = [...unique].filter(([, p]) => rows.some((r) => refuses(r, p.communityId, p.actorIri)));
  return new Set(refused.map(([key]) => key));
}

/** How {@link blockedAmong} names a refused pair. */
export const blockKey = (communityId: string, actorIri: string) => `${communityId} ${actorIri}`;

const normalized = (kind: "actor" | "domain", value: string) => (kind === "domain" ? value.toLowerCase() : value);
const theBlock = (communityId: string, kind: "actor" | "domain", value: string) =>
  and(eq(blocks.communityId, communityId), eq(blocks.kind, kind), eq(blocks.value, normalized(kind, value)));

/** Adds a block (again: a no-op) and returns when it was first made, which names its federated Block. */
export async function addBlock(db: Db, communityId: string, kind: "actor" | "domain", value: string): Promise<Date> {
  await db
    .insert(blocks)
    .values({ communityId, kind, value: normalized(kind, value) })
    .onConflictDoNothing();
  const [row] = await db
    .select({ createdAt: blocks.createdAt })
    .from(blocks)
    .where(theBlock(communityId, kind, value));
  return row.createdAt;
}

/** Removes a block; returns when it was made, or undefined when there was none. */
export async function removeBlock(
  db: Db,
  communityId: string,
  kind: "actor" | "domain",
  value: string,
): Promise<Date | undefined> {
  const [row] = await db
    .delete(blocks)
    .where(theBlock(communityId, kind, value))
    .returning({ createdAt: blocks.createdAt });
  return row?.createdAt;
}

/** A community's blocks, newest first (the console lists them, each with a form to lift it). */
export async function listBlocks(db: Db, communityId: string): Promise<Block[]> {
  return db.select().from(blocks).where(eq(blocks.communityId, communityId)).orderBy(desc(blocks.createdAt));
}
