// The tables. Each is followed by its row type (and its insert type where code builds rows), which
// the rest of the code imports from here; how tables relate, for `with:` queries, is in relations.ts.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const communities = pgTable("communities", {
  id: uuid("id").primaryKey().defaultRandom(),
  handle: text("handle").notNull().unique(),
  name: text("name").notNull(),
  summary: text("summary").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type Community = typeof communities.$inferSelect;

/** Key pairs of local actors (communities and the instance actor), as JWK. */
export const actorKeys = pgTable(
  "actor_keys",
  {
    actorIdentifier: text("actor_identifier").notNull(),
    algorithm: text("algorithm", { enum: ["RSASSA-PKCS1-v1_5", "Ed25519"] }).notNull(),
    privateKey: jsonb("private_key").notNull(),
    publicKey: jsonb("public_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actorIdentifier, t.algorithm] })],
);
export type ActorKey = typeof actorKeys.$inferSelect;

/**
 * Keys the server signs with for one purpose each, as JWK (Ed25519): `record` signs the public
 * record's documents and checkpoints, `tokens` signs steward tokens. Separate from the actors'
 * federation keys, so that a token can never pass for a record and one key's exposure or
 * rotation leaves the others alone.
 */
export const signingKeys = pgTable("signing_keys", {
  purpose: text("purpose", { enum: ["record", "tokens"] }).primaryKey(),
  privateKey: jsonb("private_key").notNull(),
  publicKey: jsonb("public_key").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type SigningKey = typeof signingKeys.$inferSelect;

export const followers = pgTable(
  "followers",
  {
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    actorIri: text("actor_iri").notNull(),
    inboxUrl: text("inbox_url").notNull(),
    sharedInboxUrl: text("shared_inbox_url"),
    followIri: text("follow_iri"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.actorIri] })],
);
export type Follower = typeof followers.$inferSelect;

/** Fedify's key–value store (caches, idempotence keys). */
export const kv = pgTable(
  "kv",
  {
    key: text("key").primaryKey(),
    value: jsonb("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [index("kv_expires_at_idx").on(t.expiresAt).where(sql`${t.expiresAt} is not null`)],
);
export type KvEntry = typeof kv.$inferSelect;

/** Who a remote note was addressed to (src/domain/audience.ts says how `to`/`cc` map to these). */
export const noteAudiences = ["public", "unlisted", "followers", "direct"] as const;

/** Notes received from remote actors: replies, mentions, and their emotion scores. */
export const inboundNotes = pgTable(
  "inbound_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    iri: text("iri").notNull().unique(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    inReplyTo: text("in_reply_to"),
    authorIri: text("author_iri").notNull(),
    /** The author's preferredUsername, name and profile page as received (checked: src/domain/authors.ts); null when unknown. */
    authorUsername: text("author_username"),
    authorName: text("author_name"),
    authorUrl: text("author_url"),
    contentHtml: text("content_html").notNull(),
    text: text("text").notNull(),
    language: text("language"),
    published: timestamp("published", { withTimezone: true }).notNull(),
    updated: timestamp("updated", { withTimezone: true }),
    hidden: boolean("hidden").notNull().default(false),
    /**
     * Who the author addressed (src/domain/audience.ts): only public and unlisted notes reach
     * public pages and reports; followers-only and direct ones are shown to stewards only.
     */
    audience: text("audience", { enum: noteAudiences }).notNull().default("public"),
    /** The 28 label probabilities in the model's label order; null when the note carries no text. */
    emotionScores: real("emotion_scores").array(),
    emotionModel: text("emotion_model"),
  },
  (t) => [
    index("inbound_notes_community_idx").on(t.communityId, t.published),
    index("inbound_notes_campaign_idx").on(t.campaignId, t.published),
  ],
);
export type InboundNote = typeof inboundNotes.$inferSelect;

export const campaignStatus = ["draft", "open", "closed"] as const;

export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** Markdown as the steward wrote it; the HTML is rendered and sanitized once, on write. */
    description: text("description").notNull(),
    descriptionHtml: text("description_html").notNull(),
    language: text("language").notNull(),
    hashtags: text("hashtags").array().notNull().default(sql`'{}'::text[]`),
    goal: integer("goal"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: campaignStatus }).notNull().default("draft"),
    outcome: text("outcome"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** Set only when the text of a published campaign changes: Mastodon reads a newer `updated` as an edit. */
    editedAt: timestamp("edited_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("campaigns_community_idx").on(t.communityId, t.createdAt)],
);
export type Campaign = typeof campaigns.$inferSelect;

export const campaignSteps = pgTable(
  "campaign_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("campaign_steps_position_idx").on(t.campaignId, t.position)],
);
export type CampaignStep = typeof campaignSteps.$inferSelect;

/** A remote actor taking part: a poll vote names a step; a Mobilizon-style Join has none. */
export const participations = pgTable(
  "participations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    stepId: uuid("step_id").references(() => campaignSteps.id, { onDelete: "cascade" }),
    actorIri: text("actor_iri").notNull(),
    inboxUrl: text("inbox_url").notNull(),
    sharedInboxUrl: text("shared_inbox_url"),
    via: text("via", { enum: ["vote", "join"] }).notNull(),
    activityIri: text("activity_iri").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("participations_once").on(t.campaignId, t.stepId, t.actorIri).nullsNotDistinct()],
);
export type Participation = typeof participations.$inferSelect;
export type NewParticipation = typeof participations.$inferInsert;

export const campaignUpdates = pgTable("campaign_updates", {
  id: uuid("id").primaryKey().defaultRandom(),
  campaignId: uuid("campaign_id")
    .notNull()
    .references(() => campaigns.id, { onDelete: "cascade" }),
  content: text("content").notNull(),
  contentHtml: text("content_html").notNull(),
  publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
});
export type CampaignUpdate = typeof campaignUpdates.$inferSelect;

/** Actors or whole domains whose votes, joins and replies a community refuses. */
export const blocks = pgTable(
  "blocks",
  {
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["actor", "domain"] }).notNull(),
    value: text("value").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.kind, t.value] })],
);
export type Block = typeof blocks.$inferSelect;

// Verifiable record: an RFC 9162 Merkle log of every public governance act, statement of
// reasons and sentiment report.

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => new Uint8Array(v),
});

export const logLeaves = pgTable("log_leaves", {
  index: bigint("index", { mode: "number" }).primaryKey(),
  /**
   * Canonical JSON (RFC 8785) of the document: what auditors hash. Its JWS is not stored:
   * Ed25519 signatures are deterministic, so signing the same bytes again gives the same JWS.
   */
  data: bytea("data").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type LogLeaf = typeof logLeaves.$inferSelect;

/** Hashes of complete subtrees; level 0 holds the leaf hashes. */
export const logNodes = pgTable(
  "log_nodes",
  {
    level: integer("level").notNull(),
    index: bigint("index", { mode: "number" }).notNull(),
    hash: bytea("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);
export type LogNode = typeof logNodes.$inferSelect;

export const logCheckpoints = pgTable("log_checkpoints", {
  id: serial("id").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  note: text("note").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type LogCheckpoint = typeof logCheckpoints.$inferSelect;

// Sentiment report rollups
//
// Reports are read from sufficient statistics (report_window_stats), never from per-note or
// per-author rows at report time. report_author_windows holds each author's tallies per window:
// the write path needs the author's old tallies to replace their contribution to the sums.
// A scope is a community (every note it received) or a campaign (the replies to it); rows carry
// both ids so that deleting either cascades. Rows are per model version: a new model starts
// fresh rollups (rebuildRollups) rather than mixing scores from two models.

/** One author's notes in one window: `over`/`prob` in the model's target order (groups, then labels). */
export const reportAuthorWindows = pgTable(
  "report_author_windows",
  {
    model: text("model").notNull(),
    scopeId: uuid("scope_id").notNull(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    /** "day" | "week" | "campaign" (the whole scope). */
    spec: text("spec").notNull(),
    windowKey: text("window_key").notNull(),
    authorIri: text("author_iri").notNull(),
    notes: integer("notes").notNull(),
    /** Per target: notes over its threshold. */
    over: integer("over").array().notNull(),
    /** Per target: sum of probabilities in millionths. */
    prob: bigint("prob", { mode: "bigint" }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.scopeId, t.spec, t.windowKey, t.authorIri] })],
);
export type ReportAuthorWindow = typeof reportAuthorWindows.$inferSelect;

/**
 * Sufficient statistics of one window for one target (index into the model's targets), summed over
 * its authors: exact integers (see src/reports/statistics/sums.ts), so incremental updates never drift.
 */
export const reportWindowStats = pgTable(
  "report_window_stats",
  {
    model: text("model").notNull(),
    scopeId: uuid("scope_id").notNull(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    spec: text("spec").notNull(),
    windowKey: text("window_key").notNull(),
    target: integer("target").notNull(),
    authors: integer("authors").notNull(),
    notes: bigint("notes", { mode: "bigint" }).notNull(),
    notesSq: numeric("notes_sq").notNull(),
    overSum: numeric("over_sum").notNull(),
    overSq: numeric("over_sq").notNull(),
    overXNotes: numeric("over_x_notes").notNull(),
    overShare: numeric("over_share").notNull(),
    overShareSq: numeric("over_share_sq").notNull(),
    probSum: numeric("prob_sum").notNull(),
    probSq: numeric("prob_sq").notNull(),
    probXNotes: numeric("prob_x_notes").notNull(),
    probShare: numeric("prob_share").notNull(),
    probShareSq: numeric("prob_share_sq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.scopeId, t.spec, t.windowKey, t.target] })],
);
export type ReportWindowStat = typeof reportWindowStats.$inferSelect;

/**
 * The secret that keys the differential-privacy noise of public reports (src/reports/publication/noise.ts).
 * Generated once and kept here, so that every process and every restart draws the same noise
 * for the same statistic: re-reading a report, or asking another replica, gives nothing new.
 */
export const reportNoiseSecrets = pgTable("report_noise_secrets", {
  name: text("name").primaryKey(),
  /** 32 random bytes, base64. Never published: whoever knows it can subtract the noise. */
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type ReportNoiseSecret = typeof reportNoiseSecrets.$inferSelect;

// Governance and moderation
//
// Who holds which role, the rules and every act are public; each act is also appended to the
// verifiable record (log_leaves), and record_index points at its leaf.

export const communityRoleNames = ["steward", "moderator"] as const;

/** A role held by a fediverse account: its actor IRI (resolved through WebFinger) and the handle its server confirmed. */
export const communityRoles = pgTable(
  "community_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    actor: text("actor").notNull(),
    /** `@name@host`; null for roles appointed before handles were resolved. */
    handle: text("handle"),
    role: text("role", { enum: communityRoleNames }).notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
    appointedBy: text("appointed_by").notNull(),
    /** Set on removal; the row stays, as history. */
    removedAt: timestamp("removed_at", { withTimezone: true }),
  },
  (t) => [
    // one current holding of a role per actor; past ones accumulate
    uniqueIndex("community_roles_current_idx").on(t.communityId, t.actor, t.role).where(sql`${t.removedAt} is null`),
  ],
);
export type CommunityRole = typeof communityRoles.$inferSelect;

/** Every version of a community's rules; the newest is in force. */
export const communityRules = pgTable(
  "community_rules",
  {
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.version] })],
);
export type CommunityRules = typeof communityRules.$inferSelect;

/** Governance acts in the order they happened, each with its leaf in the public record. */
export const governanceActs = pgTable(
  "governance_acts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    recordIndex: bigint("record_index", { mode: "number" }).notNull(),
  },
  (t) => [index("governance_acts_community_idx").on(t.communityId, t.recordIndex)],
);
export type GovernanceAct = typeof governanceActs.$inferSelect;

/**
 * Flags (ActivityPub `Flag`, what Mastodon users send as a "report") awaiting a moderator. The
 * flagging actor (`reporter_iri`) is kept here only, never published. The table keeps its first
 * name, moderation_reports: renaming it would take a migration for no change in behaviour.
 */
export const moderationFlags = pgTable(
  "moderation_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    reporterIri: text("reporter_iri").notNull(),
    activityIri: text("activity_iri").notNull().unique(),
    /** The reported objects: notes and/or actors. */
    objectIris: text("object_iris").array().notNull(),
    content: text("content").notNull().default(""),
    status: text("status", { enum: ["open", "actioned", "rejected"] })
      .notNull()
      .default("open"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [index("moderation_reports_community_idx").on(t.communityId, t.status, t.receivedAt)],
);
export type ModerationFlag = typeof moderationFlags.$inferSelect;

/**
 * Rate-limit counters (rate-limiter-flexible's RateLimiterDrizzle): one row per limited key
 * (`inbox-server:mastodon.example`, `signin:203.0.113.7`…), points used in the current window and
 * when the window ends. In the database so that every web process counts the same flood.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull(),
    expire: timestamp("expire", { withTimezone: true }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);
export type RateLimit = typeof rateLimits.$inferSelect;
