-- Rate-limit buckets shared by the gateway processes (gateway/middleware/shared-buckets.ts). UNLOGGED, edited in by
-- hand after drizzle-kit generated the table: no WAL per request, and a crash only empties the table (every bucket full).
CREATE UNLOGGED TABLE "rate_limit_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"rate" double precision NOT NULL,
	"burst" double precision NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"allowed" boolean NOT NULL
);
