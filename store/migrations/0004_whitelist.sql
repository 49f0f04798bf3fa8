CREATE TABLE "licenses" (
	"id" text PRIMARY KEY NOT NULL,
	"operator_id" text NOT NULL,
	"scenario" text NOT NULL,
	"datasets" jsonb NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"ip_allowlist" jsonb NOT NULL,
	"privacy_epsilon" double precision NOT NULL,
	"max_jobs_per_day" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operator_keys" (
	"operator_id" text NOT NULL,
	"kid" text NOT NULL,
	"alg" text NOT NULL,
	"jwk" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "operator_keys_operator_id_kid_pk" PRIMARY KEY("operator_id","kid")
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"uscc" text NOT NULL,
	"contact" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operators_uscc_unique" UNIQUE("uscc")
);
--> statement-breakpoint
CREATE TABLE "used_client_assertions" (
	"operator_id" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "used_client_assertions_operator_id_jti_pk" PRIMARY KEY("operator_id","jti")
);
--> statement-breakpoint
ALTER TABLE "licenses" ADD CONSTRAINT "licenses_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_keys" ADD CONSTRAINT "operator_keys_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;