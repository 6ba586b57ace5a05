import { and, asc, desc, eq, isNull, max } from "drizzle-orm";
import { z } from "zod";
import {
  communityRoleNames,
  communityRoles,
  communityRules,
  governanceActs,
  type CommunityRole,
  type CommunityRules,
  type GovernanceAct,
} from "../../drizzle/schema";
import type { Services } from "../services";
import type { Db } from "../db/database";
import { publishRecord } from "../transparency/record";
import { resolveAccount, type AccountLookup } from "./accounts";
import type { Community } from "./communities";
import { communityUrl } from "./urls";

/** The row types live beside their tables; re-exported for this module's callers. */
export type { CommunityRole, CommunityRules, GovernanceAct };

export const appointment = z.object({
  /** A fediverse account, `@name@host`: resolved through WebFinger before anything is recorded. */
  actor: z.string().trim().min(1, "name who is appointed, as @name@server.example").max(300),
  role: z.enum(communityRoleNames, "the role is steward or moderator"),
});
export const rulesInput = z.object({ text: z.string().trim().min(1, "rules cannot be empty").max(20_000) });

/** An act that contradicts the community's current state (appointing twice, removing nobody). */
export class GovernanceStateError extends Error {}

/** The report, reply or role an act names is not this community's. */
export class GovernanceNotFoundError extends Error {}

/** What a governance change did, as the public record states it, and what it returns. */
export interface ActChange<T> {
  payload: Record<string, unknown>;
  result: T;
}

/**
 * Makes a governance change and records it as one transaction: the change, its leaf in the
 * public record and its row in the act list commit together, so no act is in force that the
 * record lacks.
 */
export async function recordAct<T>(
  services: Pick<Services, "db" | "config">,
  community: Community,
  type: string,
  change: (tx: Db) => Promise<ActChange<T>>,
): Promise<{ act: GovernanceAct; result: T }> {
  return publishRecord(services, async (tx, append) => {
    const { payload, result } = await change(tx);
    const at = new Date();
    const { index } = await append({
      type,
      community: communityUrl(services.config.origin, community.handle),
      at: at.toISOString(),
      ...payload,
    });
    const [act] = await tx
      .insert(governanceActs)
      .values({ communityId: community.id, type, payload, at, recordIndex: index })
      .returning();
    return { act, result };
  });
}

/**
 * Appoints a fediverse account to a role. The handle is resolved first (WebFinger), so the
 * record names the actor's IRI and the handle its server confirmed, never free text.
 */
export async function appoint(
  services: Pick<Services, "db" | "config">,
  community: Community,
  input: z.input<typeof appointment>,
  appointedBy: string,
  lookup: AccountLookup,
): Promise<CommunityRole> {
  const { actor: handle, role } = appointment.parse(input);
  const account = await resolveAccount(lookup, handle);
  const { result } = await recordAct(services, community, "role-appointed", async (tx) => {
    const [row] = await tx
      .insert(communityRoles)
      .values({ communityId: community.id, actor: account.iri, handle: account.handle, role, appointedBy })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new GovernanceStateError(`${account.handle} is already a ${role}.`);
    const name = account.name ? { name: account.name } : {};
    return { payload: { actor: account.iri, handle: account.handle, ...name, role, appointedBy }, result: row };
  });
  return result;
}

export async function removeRole(
  services: Pick<Services, "db" | "config">,
  community: Community,
  id: string,
  removedBy: string,
): Promise<CommunityRole | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  try {
    const { result } = await recordAct(services, community, "role-removed", async (tx) => {
      const [row] = await tx
        .update(communityRoles)
        .set({ removedAt: new Date() })
        .where(
          and(
            eq(communityRoles.id, id),
            eq(communityRoles.communityId, community.id),
            isNull(communityRoles.removedAt),
          ),
        )
        .returning();
      if (!row) throw new GovernanceNotFoundError("No such role held in this community.");
      const handle = row.handle ? { handle: row.handle } : {};
      return { payload: { actor: row.actor, ...handle, role: row.role, removedBy }, result: row };
    });
    return result;
  } catch (e) {
    if (e instanceof GovernanceNotFoundError) return undefined;
    throw e;
  }
}

export async function setRules(
  services: Pick<Services, "db" | "config">,
  community: Community,
  input: z.input<typeof rulesInput>,
  setBy: string,
): Promise<CommunityRules> {
  const { text } = rulesInput.parse(input);
  const { result } = await recordAct(services, community, "rules-set", async (tx) => {
    const [{ latest }] = await tx
      .select({ latest: max(communityRules.version) })
      .from(communityRules)
      .where(eq(communityRules.communityId, community.id));
    // the primary key rejects a concurrent writer that picked the same version
    const [rules] = await tx
      .insert(communityRules)
      .values({ communityId: community.id, version: (latest ?? 0) + 1, text })
      .returning();
    return { payload: { version: rules.version, text, setBy }, result: rules };
  });
  return result;
}

export async function currentRules(db: Db, communityId: string): Promise<CommunityRules | undefined> {
  const [rules] = await db
    .select()
    .from(communityRules)
    .where(eq(communityRules.communityId, communityId))
    .orderBy(desc(communityRules.version))
    .limit(1);
  return rules;
}

export interface Governance {
  roles: CommunityRole[];
  rules: CommunityRules[];
  acts: GovernanceAct[];
}

/** Who holds which role now, every version of the rules (newest first), every act in order. */
export async function governance(db: Db, communityId: string): Promise<Governance> {
  const roles = await db
    .select()
    .from(communityRoles)
    .where(and(eq(communityRoles.communityId, communityId), isNull(communityRoles.removedAt)))
    .orderBy(asc(communityRoles.since));
  const rules = await db
    .select()
    .from(communityRules)
    .where(eq(communityRules.communityId, communityId))
    .orderBy(desc(communityRules.version));
  const acts = await db
    .select()
    .from(governanceActs)
    .where(eq(governanceActs.communityId, communityId))
    .orderBy(asc(governanceActs.recordIndex));
  return { roles, rules, acts };
}
