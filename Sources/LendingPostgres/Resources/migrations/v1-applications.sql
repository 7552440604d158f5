-- The application path: whitelist, blacklist, applications with their decisions (the decision
-- chain, append-only), the review queue, surge events and revisions. Shipped: never edit this
-- file (the database records its SHA-256); change the schema in a new migration.
CREATE FUNCTION lending_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TABLE whitelist (
    person_key bytea PRIMARY KEY,
    pre_credit_limit bigint NOT NULL CHECK (pre_credit_limit >= 0),
    segment text NOT NULL,
    valid_until text NOT NULL
);
CREATE TABLE blacklist (
    type text NOT NULL,
    value_key bytea NOT NULL,
    reason text NOT NULL,
    valid_until text,
    PRIMARY KEY (type, value_key)
);
CREATE TABLE applications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id text NOT NULL UNIQUE,
    applied_at bigint NOT NULL,
    product text NOT NULL,
    channel text NOT NULL,
    merchant_id text,
    requested_amount bigint NOT NULL CHECK (requested_amount > 0),
    amount_cap bigint NOT NULL,
    term_months bigint NOT NULL,
    person_key bytea NOT NULL,
    k_person bigint NOT NULL,
    k_phone bigint, k_card bigint, k_device bigint, k_ip bigint, k_contact bigint, k_address bigint,
    personal_data bytea NOT NULL,
    decision_sequence bigint NOT NULL
);
CREATE INDEX applications_by_time ON applications (applied_at);
CREATE TABLE decisions (
    sequence bigint PRIMARY KEY CHECK (sequence >= 1),
    application_id text NOT NULL,
    kind text NOT NULL,
    decided_at bigint NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('approve', 'review', 'decline')),
    approved_limit bigint NOT NULL,
    proposed_limit bigint NOT NULL,
    apr_ppm bigint NOT NULL,
    score double precision,
    probability double precision,
    fraud_score double precision,
    reasons text NOT NULL,
    inputs_hash bytea NOT NULL,
    model_version text NOT NULL,
    policy_version text NOT NULL,
    decided_by text NOT NULL,
    previous_hash bytea NOT NULL,
    hash bytea NOT NULL
);
CREATE INDEX decisions_by_application ON decisions (application_id, sequence);
CREATE TRIGGER decisions_are_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('decisions are append-only');
CREATE TRIGGER decisions_are_not_truncated BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('decisions are append-only');
CREATE TABLE review_queue (
    application_id text PRIMARY KEY,
    opened_at bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'decided')),
    reasons text NOT NULL,
    proposed_limit bigint NOT NULL,
    apr_ppm bigint NOT NULL,
    score double precision
);
CREATE INDEX review_queue_open ON review_queue (status, opened_at);
CREATE TABLE surge_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    recent_count bigint NOT NULL,
    baseline_per_window double precision NOT NULL
);
CREATE TABLE revisions (
    name text PRIMARY KEY,
    revision bigint NOT NULL
);
-- A keyed hash of a fixed text under the personal-data key: every process must hold the same key.
CREATE TABLE data_key (
    id bigint PRIMARY KEY CHECK (id = 1),
    check_hash text NOT NULL
);
CREATE TRIGGER data_key_is_kept BEFORE UPDATE OR DELETE ON data_key
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('the personal-data key check is kept');
