-- Post-loan: ladder states, the action log (append-only) and its cancellations, outcomes and
-- opt-outs, the post-loan log, early warnings with each line's level and usage, month-end
-- snapshots, and each day's run. Shipped: never edit this file; change the schema in a new migration.
CREATE TABLE collection_ladders (
    loan_id text PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('active', 'paused', 'written_off')),
    bucket text NOT NULL,
    band text NOT NULL,
    stage bigint NOT NULL CHECK (stage >= 0),
    stage_entered_on bigint NOT NULL,
    escalation bigint NOT NULL,
    entered_on bigint NOT NULL,
    promise_made_on bigint, promise_due_on bigint, promise_amount bigint, promise_paid_before bigint,
    paused_through bigint,
    broken_promises bigint NOT NULL,
    kept_promises bigint NOT NULL,
    total_paid_seen bigint NOT NULL,
    bureau_reported_on bigint, insurance_claimed_on bigint, written_off_on bigint,
    max_days_past_due bigint NOT NULL,
    CHECK ((promise_made_on IS NULL) = (promise_due_on IS NULL))
);
CREATE INDEX collection_ladders_open ON collection_ladders (loan_id) WHERE status <> 'written_off';
CREATE TABLE collection_actions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id text NOT NULL,
    action text NOT NULL CHECK (action IN ('reminder', 'sms', 'voice_bot', 'agent_call', 'outsourced_call', 'field_visit', 'legal',
        'bureau_report', 'insurance_claim', 'write_off')),
    channel text NOT NULL,
    scheduled_at bigint NOT NULL,
    utc_offset bigint NOT NULL,
    bucket text NOT NULL,
    reason text NOT NULL,
    planned_on bigint NOT NULL,
    UNIQUE (loan_id, action, scheduled_at)
);
CREATE INDEX collection_actions_by_time ON collection_actions (scheduled_at);
CREATE INDEX collection_actions_by_day ON collection_actions (planned_on);
CREATE INDEX collection_actions_milestones ON collection_actions (loan_id)
    WHERE action IN ('bureau_report', 'insurance_claim', 'write_off');
CREATE TRIGGER collection_actions_are_append_only BEFORE UPDATE OR DELETE ON collection_actions
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('the action log is append-only');
CREATE TRIGGER collection_actions_are_not_truncated BEFORE TRUNCATE ON collection_actions
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('the action log is append-only');
CREATE TABLE collection_cancellations (
    loan_id text NOT NULL,
    action text NOT NULL,
    scheduled_at bigint NOT NULL,
    reason text NOT NULL,
    PRIMARY KEY (loan_id, action, scheduled_at)
);
CREATE TABLE collection_outcomes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id text NOT NULL,
    action text NOT NULL,
    happened_at bigint NOT NULL,
    result text NOT NULL CHECK (result IN ('contacted', 'no_answer', 'wrong_number', 'promise_to_pay', 'dispute', 'paid')),
    promise_date bigint,
    promise_amount bigint,
    opt_out text,
    request_hash bytea NOT NULL,
    applied_on bigint,
    UNIQUE (loan_id, action, happened_at)
);
CREATE INDEX collection_outcomes_by_time ON collection_outcomes (happened_at);
CREATE INDEX collection_outcomes_unapplied ON collection_outcomes (happened_at) WHERE applied_on IS NULL;
CREATE TABLE collection_opt_outs (
    loan_id text NOT NULL,
    channel text NOT NULL,
    since bigint NOT NULL,
    PRIMARY KEY (loan_id, channel)
);
CREATE TABLE post_loan_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day bigint NOT NULL,
    subject text NOT NULL,
    kind text NOT NULL,
    detail text NOT NULL
);
CREATE INDEX post_loan_log_by_subject ON post_loan_log (subject, day);
CREATE TABLE early_warnings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day bigint NOT NULL,
    line_id text NOT NULL,
    level text NOT NULL CHECK (level IN ('none', 'watch', 'warning', 'severe')),
    action text NOT NULL CHECK (action IN ('none', 'reduce_limit', 'freeze')),
    new_limit bigint,
    reasons text NOT NULL
);
CREATE TABLE line_warning_levels (
    line_id text PRIMARY KEY,
    level text NOT NULL,
    day bigint NOT NULL
);
CREATE TABLE line_usage (
    line_id text NOT NULL,
    day bigint NOT NULL,
    drawn bigint NOT NULL,
    limit_amount bigint NOT NULL,
    PRIMARY KEY (line_id, day)
);
CREATE TABLE monthly_snapshots (
    month text NOT NULL,
    loan_id text NOT NULL,
    origination_month text NOT NULL,
    days_past_due bigint NOT NULL,
    outstanding_principal bigint NOT NULL,
    original_principal bigint NOT NULL,
    written_off boolean NOT NULL,
    PRIMARY KEY (month, loan_id)
);
CREATE TABLE post_loan_runs (
    day bigint PRIMARY KEY,
    loans_in_collections bigint NOT NULL,
    actions_planned bigint NOT NULL,
    write_offs bigint NOT NULL,
    written_off_principal bigint NOT NULL,
    line_actions bigint NOT NULL,
    snapshots bigint NOT NULL
);
