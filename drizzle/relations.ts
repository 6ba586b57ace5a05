// How the tables relate, for Drizzle's relational queries (`db.query.campaigns.findMany({ with: { steps: true } })`).
// TypeScript only: the foreign keys themselves are the `references()` in schema.ts, so nothing here
// changes the database and no migration follows from it.
import { relations } from "drizzle-orm";
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

export const followersRelations = relations(followers, ({ one }) => ({
  community: one(communities, { fields: [followers.communityId], references: [communities.id] }),
}));

export const blocksRelations = relations(blocks, ({ one }) => ({
  community: one(communities, { fields: [blocks.communityId], references: [communities.id] }),
}));

export const communityRolesRelations = relations(communityRoles, ({ one }) => ({
  community: one(communities, { fields: [communityRoles.communityId], references: [communities.id] }),
}));

export const communityRulesRelations = relations(communityRules, ({ one }) => ({
  community: one(communities, { fields: [communityRules.communityId], references: [communities.id] }),
}));

export const governanceActsRelations = relations(governanceActs, ({ one }) => ({
  community: one(communities, { fields: [governanceActs.communityId], references: [communities.id] }),
}));

export const moderationFlagsRelations = relations(moderationFlags, ({ one }) => ({
  community: one(communities, { fields: [moderationFlags.communityId], references: [communities.id] }),
}));
