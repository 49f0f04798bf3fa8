ALTER TABLE "applications" ADD COLUMN "access" text DEFAULT 'download' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "ip_allowlist" jsonb;