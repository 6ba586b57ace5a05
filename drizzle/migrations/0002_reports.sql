CREATE TABLE "report_author_windows" (
	"model" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"campaign_id" uuid,
	"spec" text NOT NULL,
	"window_key" text NOT NULL,
	"author_iri" text NOT NULL,
	"notes" integer NOT NULL,
	"over" integer[] NOT NULL,
	"prob" bigint[] NOT NULL,
	CONSTRAINT "report_author_windows_model_scope_id_spec_window_key_author_iri_pk" PRIMARY KEY("model","scope_id","spec","window_key","author_iri")
);
--> statement-breakpoint
CREATE TABLE "report_window_stats" (
	"model" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"campaign_id" uuid,
	"spec" text NOT NULL,
	"window_key" text NOT NULL,
	"target" integer NOT NULL,
	"authors" integer NOT NULL,
	"notes" bigint NOT NULL,
	"notes_sq" numeric NOT NULL,
	"over_sum" numeric NOT NULL,
	"over_sq" numeric NOT NULL,
	"over_x_notes" numeric NOT NULL,
	"over_share" numeric NOT NULL,
	"over_share_sq" numeric NOT NULL,
	"prob_sum" numeric NOT NULL,
	"prob_sq" numeric NOT NULL,
	"prob_x_notes" numeric NOT NULL,
	"prob_share" numeric NOT NULL,
	"prob_share_sq" numeric NOT NULL,
	CONSTRAINT "report_window_stats_model_scope_id_spec_window_key_target_pk" PRIMARY KEY("model","scope_id","spec","window_key","target")
);
--> statement-breakpoint
ALTER TABLE "report_author_windows" ADD CONSTRAINT "report_author_windows_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_author_windows" ADD CONSTRAINT "report_author_windows_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_window_stats" ADD CONSTRAINT "report_window_stats_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_window_stats" ADD CONSTRAINT "report_window_stats_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;