-- UNLOGGED: the runs are transient (deleted when their job ends) and a crash loses only work a re-claimed job redoes
CREATE UNLOGGED TABLE "job_shard_runs" (
	"job_id" text NOT NULL,
	"seq" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"worker_id" text,
	"lease_until" timestamp with time zone,
	"input" "bytea" NOT NULL,
	"output" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_shard_runs_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
ALTER TABLE "job_shard_runs" ADD CONSTRAINT "job_shard_runs_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_shard_runs_queue_idx" ON "job_shard_runs" USING btree ("status","created_at");