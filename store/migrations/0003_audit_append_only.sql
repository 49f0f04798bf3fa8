-- The audit tables are append-only. Two guards, because either alone can be got round:
-- 1. a trigger refuses UPDATE, DELETE and TRUNCATE for every role, the tables' owner included;
-- 2. no privilege to change rows is granted to PUBLIC. In production the server runs as a role granted only
--    SELECT and INSERT on these tables (docs/audit.md, "Deployment"), so it cannot drop the trigger either.
-- A superuser can still disable triggers; the SM3 hash chain and exported SM2-signed checkpoints detect that.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_meta_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log_meta
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_checkpoints, audit_log_meta FROM PUBLIC;
--> statement-breakpoint
-- the log's identity, drawn once when the log is created
INSERT INTO audit_log_meta (id, log_id) VALUES (1, gen_random_uuid()::text);
