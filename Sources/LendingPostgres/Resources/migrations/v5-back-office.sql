-- The back office: the audit log (append-only, numbered by an identity column so that an append
-- takes no advisory lock), signature evidence (one per application, append-only) and
-- maker-checker requests (one per request id: the status and decision change, never deleted).
-- Instants are seconds since 1970. Shipped: never edit this file; change the schema in a new migration.
CREATE TABLE audit_log (
    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    actor text NOT NULL,
    channel text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    request_id text NOT NULL,
    outcome text NOT NULL,
    detail text NOT NULL
);
CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('the audit log is append-only');
CREATE TRIGGER audit_log_is_not_truncated BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('the audit log is append-only');
CREATE TABLE signatures (
    application_id text PRIMARY KEY,
    accepted_at bigint NOT NULL,
    channel text NOT NULL,
    shown_text_hash bytea NOT NULL,
    sealed_details bytea NOT NULL,
    recorded_by text NOT NULL,
    recorded_at bigint NOT NULL
);
CREATE TRIGGER signatures_are_append_only BEFORE UPDATE OR DELETE ON signatures
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('signature evidence is append-only');
CREATE TRIGGER signatures_are_not_truncated BEFORE TRUNCATE ON signatures
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('signature evidence is append-only');
CREATE TABLE approvals (
    request_id text PRIMARY KEY,
    kind text NOT NULL,
    target text NOT NULL,
    payload text NOT NULL,
    requested_by text NOT NULL,
    requested_at bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by text,
    decided_at bigint
);
CREATE INDEX approvals_by_status ON approvals (status, requested_at);
CREATE TRIGGER approvals_are_kept BEFORE DELETE ON approvals
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('approval requests are never deleted');
CREATE TRIGGER approvals_are_not_truncated BEFORE TRUNCATE ON approvals
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('approval requests are never deleted');
