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
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "staff_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"department" text,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_accounts_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_code_datasets_code_fk" FOREIGN KEY ("dataset_code") REFERENCES "public"."datasets"("code") ON DELETE no action ON UPDATE no action;