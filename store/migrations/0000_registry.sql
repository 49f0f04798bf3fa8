CREATE TABLE "dataset_versions" (
	"dataset_code" text NOT NULL,
	"version" integer NOT NULL,
	"physical_table" text,
	"row_count" bigint NOT NULL,
	"byte_count" bigint NOT NULL,
	"checksum" text NOT NULL,
	"format" text NOT NULL,
	"fields" jsonb NOT NULL,
	"loaded_by" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "dataset_versions_dataset_code_version_pk" PRIMARY KEY("dataset_code","version")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"department" text NOT NULL,
	"department_code" text NOT NULL,
	"source_system" text NOT NULL,
	"update_cycle" text NOT NULL,
	"grade" text NOT NULL,
	"open_type" text NOT NULL,
	"fields" jsonb NOT NULL,
	"current_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_code_datasets_code_fk" FOREIGN KEY ("dataset_code") REFERENCES "public"."datasets"("code") ON DELETE no action ON UPDATE no action;