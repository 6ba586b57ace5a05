CREATE TABLE "actor_keys" (
	"actor_identifier" text NOT NULL,
	"algorithm" text NOT NULL,
	"private_key" jsonb NOT NULL,
	"public_key" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actor_keys_actor_identifier_algorithm_pk" PRIMARY KEY("actor_identifier","algorithm")
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"community_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blocks_community_id_kind_value_pk" PRIMARY KEY("community_id","kind","value")
);
--> statement-breakpoint
CREATE TABLE "campaign_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"content" text NOT NULL,
	"content_html" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"description_html" text NOT NULL,
	"language" text NOT NULL,
	"hashtags" text[] DEFAULT '{}'::text[] NOT NULL,
	"goal" integer,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"outcome" text,
	"published_at" timestamp with time zone,
	"edited_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handle" text NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "communities_handle_unique" UNIQUE("handle")
);
--> statement-breakpoint
CREATE TABLE "followers" (
	"community_id" uuid NOT NULL,
	"actor_iri" text NOT NULL,
	"inbox_url" text NOT NULL,
	"shared_inbox_url" text,
	"follow_iri" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "followers_community_id_actor_iri_pk" PRIMARY KEY("community_id","actor_iri")
);
--> statement-breakpoint
CREATE TABLE "inbound_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iri" text NOT NULL,
	"community_id" uuid NOT NULL,
	"campaign_id" uuid,
	"in_reply_to" text,
	"author_iri" text NOT NULL,
	"content_html" text NOT NULL,
	"text" text NOT NULL,
	"language" text,
	"published" timestamp with time zone NOT NULL,
	"updated" timestamp with time zone,
	"hidden" boolean DEFAULT false NOT NULL,
	"emotion_scores" real[],
	"emotion_model" text,
	CONSTRAINT "inbound_notes_iri_unique" UNIQUE("iri")
);
--> statement-breakpoint
CREATE TABLE "kv" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "participations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_id" uuid,
	"actor_iri" text NOT NULL,
	"inbox_url" text NOT NULL,
	"shared_inbox_url" text,
	"via" text NOT NULL,
	"activity_iri" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participations_once" UNIQUE NULLS NOT DISTINCT("campaign_id","step_id","actor_iri")
);
--> statement-breakpoint
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_steps" ADD CONSTRAINT "campaign_steps_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_updates" ADD CONSTRAINT "campaign_updates_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followers" ADD CONSTRAINT "followers_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD CONSTRAINT "inbound_notes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD CONSTRAINT "inbound_notes_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_step_id_campaign_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."campaign_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_steps_position_idx" ON "campaign_steps" USING btree ("campaign_id","position");--> statement-breakpoint
CREATE INDEX "campaigns_community_idx" ON "campaigns" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE INDEX "inbound_notes_community_idx" ON "inbound_notes" USING btree ("community_id","published");--> statement-breakpoint
CREATE INDEX "inbound_notes_campaign_idx" ON "inbound_notes" USING btree ("campaign_id","published");--> statement-breakpoint
CREATE INDEX "kv_expires_at_idx" ON "kv" USING btree ("expires_at") WHERE "kv"."expires_at" is not null;