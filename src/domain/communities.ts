import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { communities, type Community } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { createActorKeys } from "./keys";

/** The row types live beside their tables; re-exported for this module's callers. */
export type { Community };

/** Handles become `@handle@host` and URL paths, so they stay short, lowercase and unambiguous. */
export const communityHandle = z
  .string()
  .regex(/^[a-z0-9_]{1,30}$/, "use 1 to 30 lowercase letters, digits or underscores");

export const newCommunity = z.object({
  handle: communityHandle,
  name: z.string().trim().min(1, "a community needs a name").max(100),
  summary: z.string().max(2000).default(""),
});

export class DuplicateCommunityError extends Error {
  constructor(handle: string) {
    super(`A community with the handle "${handle}" already exists.`);
  }
}

export async function createCommunity(db: Db, input: z.input<typeof newCommunity>): Promise<Community> {
  const values = newCommunity.parse(input);
  if (await findCommunity(db, values.handle)) throw new DuplicateCommunityError(values.handle);
  const [community] = await db.insert(communities).values(values).returning();
  await createActorKeys(db, community.handle);
  return community;
}

export async function findCommunity(db: Db, handle: string): Promise<Community | undefined> {
  const [community] = await db.select().from(communities).where(eq(communities.handle, handle));
  return community;
}

export async function findCommunityById(db: Db, id: string): Promise<Community | undefined> {
  const [community] = await db.select().from(communities).where(eq(communities.id, id));
  return community;
}

export async function listCommunities(db: Db): Promise<Community[]> {
  return db.select().from(communities).orderBy(communities.handle);
}

export async function countCommunities(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(communities);
  return row.n;
}
