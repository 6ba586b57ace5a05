CREATE TABLE "actor_keys" (
	"actor_identifier" text NOT NULL,
	"algorithm" text NOT NULL,
	"private_key" jsonb NOT NULL,
	"public_key" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actor_keys_actor_identifier_algorithm_pk" PRIMARY KEY("actor_identifier","algorithm")
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
ALTER TABLE "followers" ADD CONSTRAINT "followers_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD CONSTRAINT "inbound_notes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_notes_community_idx" ON "inbound_notes" USING btree ("community_id","published");--> statement-breakpoint
CREATE INDEX "inbound_notes_campaign_idx" ON "inbound_notes" USING btree ("campaign_id","published");--> statement-breakpoint
CREATE INDEX "kv_expires_at_idx" ON "kv" USING btree ("expires_at") WHERE "kv"."expires_at" is not null;