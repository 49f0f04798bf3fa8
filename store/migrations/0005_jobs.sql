CREATE TABLE "budget_ledger" (
	"license_id" text NOT NULL,
	"dataset" text NOT NULL,
	"spent_micro" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "budget_ledger_license_id_dataset_pk" PRIMARY KEY("license_id","dataset")
);
--> statement-breakpoint
CREATE TABLE "job_results" (
	"job_id" text PRIMARY KEY NOT NULL,
	"result" jsonb NOT NULL,
	"record" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"operator_id" text NOT NULL,
	"license_id" text NOT NULL,
	"datasets" jsonb NOT NULL,
	"code" text NOT NULL,
	"code_sha256" text NOT NULL,
	"params" jsonb NOT NULL,
	"outputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"privacy" jsonb,
	"operation" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"error_code" text,
	"error_reason" text,
	"usage" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "released_cells" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset" text NOT NULL,
	"job_id" text NOT NULL,
	"output" text NOT NULL,
	"labels" jsonb NOT NULL,
	"population" integer NOT NULL,
	"sketch" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_results" ADD CONSTRAINT "job_results_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "released_cells" ADD CONSTRAINT "released_cells_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_queue_idx" ON "jobs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "jobs_license_created_idx" ON "jobs" USING btree ("license_id","created_at");--> statement-breakpoint
CREATE INDEX "released_cells_dataset_idx" ON "released_cells" USING btree ("dataset");