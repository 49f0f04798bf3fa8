CREATE TABLE "encrypted_contributions" (
	"round_id" text NOT NULL,
	"department" text NOT NULL,
	"contributed_by" text NOT NULL,
	"ciphertexts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "encrypted_contributions_round_id_department_pk" PRIMARY KEY("round_id","department")
);
--> statement-breakpoint
CREATE TABLE "encrypted_rounds" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"custodian_id" text NOT NULL,
	"departments" jsonb NOT NULL,
	"min_departments" integer NOT NULL,
	"grade" text NOT NULL,
	"layout" jsonb NOT NULL,
	"public_key" text NOT NULL,
	"key_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"masked_total" jsonb,
	"masks" jsonb,
	"contributions" integer DEFAULT 0 NOT NULL,
	"released" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "encrypted_contributions" ADD CONSTRAINT "encrypted_contributions_round_id_encrypted_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."encrypted_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "encrypted_rounds_custodian_idx" ON "encrypted_rounds" USING btree ("custodian_id");