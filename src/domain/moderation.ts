// Moderation: flags come in (ActivityPub Flag), moderators act, and every act is published as
// a statement of reasons shaped after the EU DSA Transparency Database's (Art. 17 DSA): what was
// decided, on which ground (the rule quoted), the facts, whether it was automated, when, and on
// what kind of content. A statement never names who flagged: flags stay in this database.

import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { governanceActs, moderationFlags, type ModerationFlag } from "../../drizzle/schema";
import type { Services } from "../services";
import type { Db } from "../db/database";
import { addBlock, removeBlock } from "./blocks";
import type { Community } from "./communities";
import { hideInboundNote } from "./notes";
import {
  currentRules,
  GovernanceNotFoundError,
  GovernanceStateError,
  recordAct,
  type GovernanceAct,
} from "./governance";

/** The row types live beside their tables; re-exported for this module's callers. */
export type { ModerationFlag };

type Svc = Pick<Services, "db" | "config">;

export const STATEMENT = "statement-of-reasons";

/** Stores a Flag once (redelivery is idempotent on its activity IRI). */
export async function storeFlag(
  db: Db,
  flag: { communityId: string; reporterIri: string; activityIri: string; objectIris: string[]; content: string },
): Promise<void> {
  await db.insert(moderationFlags).values(flag).onConflictDoNothing();
}

export async function listFlags(
  db: Db,
  communityId: string,
  status?: ModerationFlag["status"],
): Promise<ModerationFlag[]> {
  return db
    .select()
    .from(moderationFlags)
    .where(and(eq(moderationFlags.communityId, communityId), status ? eq(moderationFlags.status, status) : undefined))
    .orderBy(asc(moderationFlags.receivedAt));
}

/** What a moderator says about every decision; the rule is quoted from the rules in force. */
export const reasons = z.object({
  rule: z.string().trim().min(1, "quote the rule the decision rests on").max(5000),
  facts: z.string().trim().min(1, "state the facts the decision rests on").max(5000),
  /**
   * The flag that prompted the decision, if any; absent, the decision is on the community's own
   * initiative. Named `report` because API clients and console forms send it so (as Mastodon's API calls a flag).
   */
  report: z.uuid().optional(),
});
export const hideInput = reasons.extend({ note: z.url("the IRI of the reply to hide") });
export const blockInput = reasons.extend({
  kind: z.enum(["actor", "domain"]),
  value: z.string().trim().min(1).max(500),
});
export const liftInput = z.object({
  kind: z.enum(["actor", "domain"]),
  value: z.string().trim().min(1).max(500),
  facts: z.string().trim().min(1, "say why the block is lifted").max(5000),
});
export const rejectInput = z.object({ facts: z.string().trim().min(1, "say why no action is taken").max(5000) });

type Decision = {
  decision: string;
  contentType: "text" | "account" | "domain";
  content: string;
  restriction: "visibility" | "service" | "none";
};

/** Checks the flag and the ground, then applies the decision and publishes its statement in one transaction. */
async function decide(
  services: Svc,
  community: Community,
  input: { rule?: string; facts: string; report?: string },
  by: string,
  apply: (tx: Db) => Promise<Decision>,
) {
  const flag = input.report ? await openFlag(services.db, community, input.report) : undefined;
  let ground: Record<string, unknown> = { type: "none" };
  if (input.rule !== undefined) {
    const rules = await currentRules(services.db, community.id);
    // the quoted rule must be one the community published: a decision cannot rest on an unpublished rule
    if (!rules?.text.includes(input.rule))
      throw new GovernanceStateError("The rule quoted is not part of the rules in force.");
    ground = { type: "incompatible-with-community-rules", rule: input.rule, rulesVersion: rules.version };
  }
  const { act } = await recordAct(services, community, STATEMENT, async (tx) => {
    const d = await apply(tx);
    if (flag) {
      const [resolved] = await tx
        .update(moderationFlags)
        .set({ status: d.restriction === "none" ? "rejected" : "actioned", resolvedAt: new Date() })
        .where(and(eq(moderationFlags.id, flag.id), eq(moderationFlags.status, "open")))
        .returning({ id: moderationFlags.id });
      // another moderator decided on it since it was read: this decision is not taken
      if (!resolved) throw new GovernanceStateError("This report was already dealt with.");
    }
    const payload = {
      decision: d.decision,
      restriction: d.restriction,
      ground,
      facts: input.facts,
      contentType: d.contentType,
      content: d.content,
      // DSA "source type": a notice or the provider's own initiative; the notifier is never named
      source: flag ? "notice" : "own-initiative",
      automatedDetection: false,
      automatedDecision: false,
      decidedBy: by,
      date: new Date().toISOString(),
    };
    return { payload, result: null };
  });
  return act;
}

async function openFlag(db: Db, community: Community, id: string): Promise<ModerationFlag> {
  if (!z.uuid().safeParse(id).success) throw new GovernanceNotFoundError("No such report in this community.");
  const [flag] = await db
    .select()
    .from(moderationFlags)
    .where(and(eq(moderationFlags.id, id), eq(moderationFlags.communityId, community.id)));
  if (!flag) throw new GovernanceNotFoundError("No such report in this community.");
  if (flag.status !== "open") throw new GovernanceStateError("This report was already dealt with.");
  return flag;
}

export async function hideReply(
  services: Svc,
  community: Community,
  input: z.input<typeof hideInput>,
  by: string,
): Promise<GovernanceAct> {
  const { note, ...why } = hideInput.parse(input);
  return decide(services, community, why, by, async (tx) => {
    const hidden = await hideInboundNote(tx, community.id, note);
    if (!hidden) throw new GovernanceNotFoundError("No reply with this IRI was received by this community.");
    return {
      decision: "reply hidden from the public pages",
      contentType: "text",
      content: note,
      restriction: "visibility",
    };
  });
}

/**
 * Tells a blocked account (ActivityPub Block, then Undo(Block) when lifted). Given by the
 * caller, which owns federation; the domain only decides who is told: an account, never a
 * domain, which has no inbox.
 */
export interface BlockDelivery {
  block(community: Community, actorIri: string, blockedAt: Date): Promise<void>;
  unblock(community: Community, actorIri: string, blockedAt: Date): Promise<void>;
}

/** Blocks an account or a domain; `blockedAt` (when the block was first made) names the federated Block. */
export async function block(
  services: Svc,
  community: Community,
  input: z.input<typeof blockInput>,
  by: string,
  delivery?: BlockDelivery,
): Promise<{ act: GovernanceAct; blockedAt: Date }> {
  const { kind, value, ...why } = blockInput.parse(input);
  let blockedAt: Date | undefined;
  const act = await decide(services, community, why, by, async (tx) => {
    blockedAt = await addBlock(tx, community.id, kind, value);
    return kind === "domain"
      ? {
          decision: "votes, joins and replies from this domain refused",
          contentType: "domain",
          content: value.toLowerCase(),
          restriction: "service",
        }
      : {
          decision: "votes, joins and replies from this account refused",
          contentType: "account",
          content: value,
          restriction: "service",
        };
  });
  if (kind === "actor") await delivery?.block(community, value, blockedAt!);
  return { act, blockedAt: blockedAt! };
}

/**
 * Lifts a block. Not a restriction, so not a statement of reasons: a governance act that says
 * who lifted it and why. Returns when the block was made, which names the Block to undo.
 */
export async function liftBlock(
  services: Svc,
  community: Community,
  input: z.input<typeof liftInput>,
  by: string,
  delivery?: BlockDelivery,
): Promise<{ act: GovernanceAct; blockedAt: Date }> {
  const { kind, value, facts } = liftInput.parse(input);
  const { act, result } = await recordAct(services, community, "block-lifted", async (tx) => {
    const blockedAt = await removeBlock(tx, community.id, kind, value);
    if (!blockedAt)
      throw new GovernanceNotFoundError(
        `This community has no block on this ${kind === "domain" ? "domain" : "account"}.`,
      );
    return { payload: { kind, value, facts, liftedBy: by }, result: blockedAt };
  });
  if (kind === "actor") await delivery?.unblock(community, value, result);
  return { act, blockedAt: result };
}

export async function rejectFlag(
  services: Svc,
  community: Community,
  id: string,
  input: z.input<typeof rejectInput>,
  by: string,
): Promise<GovernanceAct> {
  const { facts } = rejectInput.parse(input);
  return decide(services, community, { facts, report: id }, by, async (tx) => {
    const flag = await openFlag(tx, community, id);
    return {
      // the published wording, kept: statements already in the record say "report"
      decision: "report rejected: no action taken",
      contentType: "text",
      content: flag.objectIris.join(" "),
      restriction: "none",
    };
  });
}

/** The community's statements of reasons, in order. */
export async function statements(db: Db, communityId: string): Promise<GovernanceAct[]> {
  return db
    .select()
    .from(governanceActs)
    .where(and(eq(governanceActs.communityId, communityId), inArray(governanceActs.type, [STATEMENT])))
    .orderBy(asc(governanceActs.recordIndex));
}
