ALTER TABLE "inbound_notes" ADD COLUMN "author_username" text;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD COLUMN "author_name" text;--> statement-breakpoint
ALTER TABLE "inbound_notes" ADD COLUMN "author_url" text;