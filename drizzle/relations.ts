// How the tables relate, for Drizzle's relational queries (`db.query.campaigns.findMany({ with: { steps: true } })`).
// TypeScript only: the foreign keys themselves are the `references()` in schema.ts, so nothing here
// changes the database and no migration follows from it.
import { relations } from "drizzle-orm";
import type { AnyPgColumn, AnyPgTable } from "drizzle-orm/pg-core";
import {
  blocks,
  campaignSteps,
  campaignUpdates,
  campaigns,
  communities,
  communityRoles,
  communityRules,
  followers,
  governanceActs,
  inboundNotes,
  moderationFlags,
  participations,
} from "./schema";

export const communitiesRelations = relations(communities, ({ many }) => ({
  campaigns: many(campaigns),
  followers: many(followers),
  inboundNotes: many(inboundNotes),
  blocks: many(blocks),
  roles: many(communityRoles),
  rules: many(communityRules),
  governanceActs: many(governanceActs),
  flags: many(moderationFlags),
}));

export const campaignsRelations = relations(campaigns, ({ one, many }) => ({
  community: one(communities, { fields: [campaigns.communityId], references: [communities.id] }),
  steps: many(campaignSteps),
  updates: many(campaignUpdates),
  participations: many(participations),
  replies: many(inboundNotes),
}));

export const campaignStepsRelations = relations(campaignSteps, ({ one, many }) => ({
  campaign: one(campaigns, { fields: [campaignSteps.campaignId], references: [campaigns.id] }),
  participations: many(participations),
}));

export const participationsRelations = relations(participations, ({ one }) => ({
  campaign: one(campaigns, { fields: [participations.campaignId], references: [campaigns.id] }),
  /** Null for a Join, which names no step. */
  step: one(campaignSteps, { fields: [participations.stepId], references: [campaignSteps.id] }),
}));

export const campaignUpdatesRelations = relations(campaignUpdates, ({ one }) => ({
  campaign: one(campaigns, { fields: [campaignUpdates.campaignId], references: [campaigns.id] }),
}));

export const inboundNotesRelations = relations(inboundNotes, ({ one }) => ({
  community: one(communities, { fields: [inboundNotes.communityId], references: [communities.id] }),
  /** Null for a note that answers no campaign (a mention of the community). */
  campaign: one(campaigns, { fields: [inboundNotes.campaignId], references: [campaigns.id] }),
}));

/** The tables whose rows belong to one community, and nothing else: each gets its `community`. */
const ofCommunity = <T extends AnyPgTable & { communityId: AnyPgColumn }>(table: T) =>
  relations(table, ({ one }) => ({
    community: one(communities, { fields: [table.communityId], references: [communities.id] }),
  }));

export const followersRelations = ofCommunity(followers);
export const blocksRelations = ofCommunity(blocks);
export const communityRolesRelations = ofCommunity(communityRoles);
export const communityRulesRelations = ofCommunity(communityRules);
export const governanceActsRelations = ofCommunity(governanceActs);
export const moderationFlagsRelations = ofCommunity(moderationFlags);
