CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"operator_id" text,
	"job_id" text,
	"summary" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"suspended_operator" text,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_code" text NOT NULL,
	"fields" jsonb NOT NULL,
	"department_code" text NOT NULL,
	"applicant" jsonb NOT NULL,
	"purpose" text NOT NULL,
	"duration_days" integer NOT NULL,
	"commitment_accepted_at" timestamp with time zone NOT NULL,
	"status_token_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decision_reason" text,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"license_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_entries" (
	"dataset_code" text PRIMARY KEY NOT NULL,
	"resource_code" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"classification" jsonb,
	"theme" text NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"open_conditions" text,
	"share_type" text DEFAULT 'conditional' NOT NULL,
	"license" text DEFAULT 'CC-BY-4.0' NOT NULL,
	"next_update_due" date,
	"issued" timestamp with time zone,
	"modified" timestamp with time zone,
	"temporal_start" date,
	"temporal_end" date,
	"spatial" text,
	"search_text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_entries_resource_code_unique" UNIQUE("resource_code")
);
--> statement-breakpoint
CREATE TABLE "download_counts" (
	"dataset_code" text NOT NULL,
	"day" date NOT NULL,
	"format" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "download_counts_dataset_code_day_format_pk" PRIMARY KEY("dataset_code","day","format")
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_code" text NOT NULL,
	"department_code" text NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"contact" text,
	"status" text DEFAULT 'open' NOT NULL,
	"replies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "priority_list_drafts" (
	"year" integer NOT NULL,
	"department_code" text NOT NULL,
	"department" text NOT NULL,
	"items" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "priority_list_drafts_year_department_code_pk" PRIMARY KEY("year","department_code")
);
--> statement-breakpoint
CREATE TABLE "priority_list_versions" (
	"year" integer NOT NULL,
	"department_code" text NOT NULL,
	"version" integer NOT NULL,
	"department" text NOT NULL,
	"items" jsonb NOT NULL,
	"change_note" text,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "priority_list_versions_year_department_code_version_pk" PRIMARY KEY("year","department_code","version")
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "dry_run" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "reviewed_by" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "review_decision" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "review_reason" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_dataset_code_datasets_code_fk" FOREIGN KEY ("dataset_code") REFERENCES "public"."datasets"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_entries" ADD CONSTRAINT "catalog_entries_dataset_code_datasets_code_fk" FOREIGN KEY ("dataset_code") REFERENCES "public"."datasets"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_dataset_code_datasets_code_fk" FOREIGN KEY ("dataset_code") REFERENCES "public"."datasets"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_status_created_idx" ON "alerts" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "alerts_operator_idx" ON "alerts" USING btree ("operator_id");--> statement-breakpoint
CREATE INDEX "applications_department_status_idx" ON "applications" USING btree ("department_code","status");--> statement-breakpoint
CREATE INDEX "feedback_dataset_idx" ON "feedback" USING btree ("dataset_code","status");--> statement-breakpoint
-- A published priority list is a public record: a correction is a new version, never an edit.
CREATE TRIGGER priority_list_versions_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON priority_list_versions
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
