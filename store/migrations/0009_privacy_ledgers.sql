CREATE TABLE "dataset_budgets" (
	"dataset" text NOT NULL,
	"year" integer NOT NULL,
	"epsilon_total" double precision,
	"rho_spent_nano" bigint DEFAULT 0 NOT NULL,
	"set_by" text,
	"set_at" timestamp with time zone,
	CONSTRAINT "dataset_budgets_dataset_year_pk" PRIMARY KEY("dataset","year")
);
--> statement-breakpoint
CREATE TABLE "job_review_decisions" (
	"job_id" text NOT NULL,
	"steward_id" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_review_decisions_job_id_steward_id_pk" PRIMARY KEY("job_id","steward_id")
);
--> statement-breakpoint
ALTER TABLE "budget_ledger" ADD COLUMN "rho_spent_nano" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- ε spent under basic composition, as zCDP: pure ε-DP is ε²/2-zCDP, and Σ εᵢ²/2 ≤ (Σ εᵢ)²/2 (the safe side)
UPDATE "budget_ledger" SET "rho_spent_nano" = ceil(("spent_micro"::float8 / 1e6) ^ 2 / 2 * 1e9)::bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "rho_nano" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "max_rows_per_contributor" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "slot_ms" integer;--> statement-breakpoint
ALTER TABLE "released_cells" ADD COLUMN "withheld" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "job_review_decisions" ADD CONSTRAINT "job_review_decisions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;