import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

export const communities = pgTable("communities", {
  id: uuid("id").primaryKey().defaultRandom(),
  handle: text("handle").notNull().unique(),
  name: text("name").notNull(),
  summary: text("summary").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

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

/** Notes received from remote actors: replies, mentions, and their emotion scores. */
export const inboundNotes = pgTable(
  "inbound_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    iri: text("iri").notNull().unique(),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id"),
    inReplyTo: text("in_reply_to"),
    authorIri: text("author_iri").notNull(),
    contentHtml: text("content_html").notNull(),
    text: text("text").notNull(),
    language: text("language"),
    published: timestamp("published", { withTimezone: true }).notNull(),
    updated: timestamp("updated", { withTimezone: true }),
    hidden: boolean("hidden").notNull().default(false),
    /** The 28 label probabilities in the model's label order; null when the note carries no text. */
    emotionScores: real("emotion_scores").array(),
    emotionModel: text("emotion_model"),
  },
  (t) => [
    index("inbound_notes_community_idx").on(t.communityId, t.published),
    index("inbound_notes_campaign_idx").on(t.campaignId, t.published),
  ],
);
