CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_noise_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"purpose" text PRIMARY KEY NOT NULL,
	"private_key" jsonb NOT NULL,
	"public_key" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "community_roles" ADD COLUMN "handle" text;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD COLUMN "author_username" text;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD COLUMN "author_name" text;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD COLUMN "author_url" text;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD COLUMN "audience" text DEFAULT 'public' NOT NULL;--> statement-breakpoint
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits" USING btree ("expire");