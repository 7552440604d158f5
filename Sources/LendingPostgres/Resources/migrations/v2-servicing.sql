-- Servicing: agreements (append-only), credit lines, loans with their daily fields, payouts
-- (final once paid or failed, at most one live per loan), the journal and its postings
-- (append-only, each entry balanced, chained by hash, with its head), repayments and draws
-- (append-only). Shipped: never edit this file; change the schema in a new migration.
CREATE TABLE agreements (
    application_id text PRIMARY KEY,
    product text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('installment', 'revolving')),
    amount bigint NOT NULL CHECK (amount > 0),
    term_months bigint NOT NULL,
    apr_ppm bigint NOT NULL CHECK (apr_ppm >= 0),
    terms text NOT NULL,
    schedule text NOT NULL,
    text_sha256 bytea NOT NULL CHECK (length(text_sha256) = 32),
    text_sealed bytea NOT NULL,
    signer text NOT NULL,
    signed_at bigint NOT NULL
);
CREATE TRIGGER agreements_are_append_only BEFORE UPDATE OR DELETE ON agreements
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('agreements are append-only');
CREATE TRIGGER agreements_are_not_truncated BEFORE TRUNCATE ON agreements
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('agreements are append-only');
CREATE TABLE credit_lines (
    line_id text PRIMARY KEY,
    application_id text NOT NULL,
    product text NOT NULL,
    limit_amount bigint NOT NULL CHECK (limit_amount >= 0),
    drawn_principal bigint NOT NULL CHECK (drawn_principal >= 0),
    apr_ppm bigint NOT NULL CHECK (apr_ppm >= 0),
    frozen boolean NOT NULL,
    signed_on bigint NOT NULL
);
CREATE TABLE loans (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id text NOT NULL UNIQUE,
    application_id text NOT NULL,
    line_id text,
    product text NOT NULL,
    principal bigint NOT NULL CHECK (principal > 0),
    term_months bigint NOT NULL CHECK (term_months BETWEEN 1 AND 600),
    apr_ppm bigint NOT NULL CHECK (apr_ppm >= 0),
    signed_on bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('signed', 'active', 'paid_off', 'written_off')),
    state bytea,
    CHECK ((status = 'signed') = (state IS NULL))
);
CREATE INDEX loans_awaiting_payout ON loans (id) WHERE status = 'signed';
CREATE INDEX loans_active ON loans (id) WHERE status = 'active';
CREATE INDEX loans_by_line ON loans (line_id) WHERE line_id IS NOT NULL;
CREATE TABLE loan_daily (
    id bigint PRIMARY KEY REFERENCES loans (id),
    processed_through bigint NOT NULL,
    days_past_due bigint NOT NULL,
    interest_receivable bigint NOT NULL,
    penalty_receivable bigint NOT NULL,
    memo_interest bigint NOT NULL,
    memo_penalty bigint NOT NULL,
    current_accrued bigint NOT NULL
);
CREATE TABLE payouts (
    key text PRIMARY KEY,
    loan_id text NOT NULL,
    attempt bigint NOT NULL CHECK (attempt >= 1),
    amount bigint NOT NULL CHECK (amount > 0),
    status text NOT NULL CHECK (status IN ('sent', 'paid', 'failed', 'unknown')),
    sent_on bigint NOT NULL,
    settled_on bigint,
    reason text,
    UNIQUE (loan_id, attempt)
);
CREATE UNIQUE INDEX payouts_one_live_per_loan ON payouts (loan_id) WHERE status <> 'failed';
CREATE INDEX payouts_in_flight ON payouts (key) WHERE status IN ('sent', 'unknown');
CREATE FUNCTION payouts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('paid', 'failed') THEN
        RAISE EXCEPTION 'a paid or failed payout is final' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.key, NEW.loan_id, NEW.attempt, NEW.amount, NEW.sent_on) IS DISTINCT FROM (OLD.key, OLD.loan_id, OLD.attempt, OLD.amount, OLD.sent_on) THEN
        RAISE EXCEPTION 'a payout keeps its key, loan, attempt, amount and date' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payouts_final BEFORE UPDATE ON payouts FOR EACH ROW EXECUTE FUNCTION payouts_guard();
CREATE TRIGGER payouts_are_kept BEFORE DELETE ON payouts
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('payouts are never deleted');
CREATE TRIGGER payouts_are_not_truncated BEFORE TRUNCATE ON payouts
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('payouts are never deleted');
CREATE TABLE journal (
    sequence bigint PRIMARY KEY CHECK (sequence >= 1),
    id text NOT NULL,
    date bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('disbursement', 'accrual', 'repayment', 'overpayment_applied', 'write_off', 'reversal', 'adjustment')),
    loan_id text,
    reverses text,
    memo text NOT NULL,
    previous_hash bytea NOT NULL CHECK (length(previous_hash) = 32),
    hash bytea NOT NULL CHECK (length(hash) = 32),
    CHECK ((kind IN ('accrual', 'overpayment_applied')) = (id LIKE 'accrue:%' OR id LIKE 'apply:%')),
    CHECK (kind NOT IN ('accrual', 'overpayment_applied') OR right(id, 10) = to_char(date '1970-01-01' + date::integer, 'YYYY-MM-DD'))
);
CREATE UNIQUE INDEX journal_daily_ids ON journal (date, id) WHERE kind IN ('accrual', 'overpayment_applied');
CREATE UNIQUE INDEX journal_ids ON journal (id) WHERE kind NOT IN ('accrual', 'overpayment_applied');
CREATE TRIGGER journal_is_append_only BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('the journal is append-only: correct an entry with a reversal');
CREATE TRIGGER journal_is_not_truncated BEFORE TRUNCATE ON journal
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('the journal is append-only: correct an entry with a reversal');
CREATE TABLE postings (
    sequence bigint NOT NULL,
    leg bigint NOT NULL,
    account bigint NOT NULL CHECK (account IN (1, 2, 3, 4, 5, 16, 17, 18, 19)),
    side bigint NOT NULL CHECK (side IN (0, 1)),
    amount bigint NOT NULL CHECK (amount > 0),
    PRIMARY KEY (sequence, leg)
);
CREATE TRIGGER postings_are_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('postings are append-only');
CREATE TRIGGER postings_are_not_truncated BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('postings are append-only');
-- Every entry's legs arrive in one statement and balance: debits equal credits.
CREATE FUNCTION postings_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced bigint;
BEGIN
    SELECT sequence INTO unbalanced FROM inserted GROUP BY sequence
        HAVING sum(CASE side WHEN 0 THEN amount ELSE -amount END) <> 0 OR count(*) < 2 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance (its debits and credits differ)', unbalanced USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER postings_balance AFTER INSERT ON postings REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION postings_balance();
CREATE TABLE journal_head (
    id bigint PRIMARY KEY CHECK (id = 1),
    sequence bigint NOT NULL,
    hash bytea NOT NULL
);
INSERT INTO journal_head (id, sequence, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
CREATE TRIGGER journal_head_is_kept BEFORE DELETE ON journal_head
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('the journal head is kept');
CREATE VIEW ledger_postings AS
    SELECT p.sequence, p.leg, j.id AS entry_id, to_char(date '1970-01-01' + j.date::integer, 'YYYY-MM-DD') AS date, j.kind,
        CASE p.account
            WHEN 1 THEN 'lender:funding_cash' WHEN 2 THEN 'lender:interest_income' WHEN 3 THEN 'lender:penalty_income'
            WHEN 4 THEN 'lender:suspense' WHEN 5 THEN 'lender:write_off_expense'
            WHEN 16 THEN 'loan:' || j.loan_id || ':principal' WHEN 17 THEN 'loan:' || j.loan_id || ':interest'
            WHEN 18 THEN 'loan:' || j.loan_id || ':penalty' WHEN 19 THEN 'loan:' || j.loan_id || ':overpayment'
        END AS account,
        CASE p.side WHEN 0 THEN 'debit' ELSE 'credit' END AS side,
        p.amount
    FROM postings p JOIN journal j ON j.sequence = p.sequence;
CREATE TABLE repayments (
    id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    payment_id text PRIMARY KEY,
    loan_id text NOT NULL,
    paid_on bigint NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    request_hash bytea NOT NULL,
    entry_sequence bigint NOT NULL,
    penalty bigint NOT NULL,
    interest bigint NOT NULL,
    principal bigint NOT NULL,
    overpayment bigint NOT NULL,
    recovery bigint NOT NULL
);
CREATE TRIGGER repayments_are_append_only BEFORE UPDATE OR DELETE ON repayments
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('repayments are append-only');
CREATE TRIGGER repayments_are_not_truncated BEFORE TRUNCATE ON repayments
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('repayments are append-only');
CREATE TABLE draws (
    draw_id text PRIMARY KEY,
    line_id text NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    term_months bigint NOT NULL,
    requested_on bigint NOT NULL,
    request_hash bytea NOT NULL
);
CREATE TRIGGER draws_are_append_only BEFORE UPDATE OR DELETE ON draws
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('draws are append-only');
CREATE TRIGGER draws_are_not_truncated BEFORE TRUNCATE ON draws
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('draws are append-only');
-- Saves loans' records and statuses with their daily fields in one statement (the adapter sends
-- it without waiting): loans whose status is 'signed' when `from_signed` (a payout activates
-- them), else loans already paid out; a loan that is not in that state refuses the whole call.
CREATE FUNCTION lending_save_states(ids text[], statuses text[], states bytea[], processed bigint[], past_due bigint[],
        interest bigint[], penalty bigint[], memo_interest bigint[], memo_penalty bigint[], accrued bigint[], from_signed boolean)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    saved bigint;
    missing text;
BEGIN
    WITH v AS (
        SELECT * FROM unnest(ids, statuses, states, processed, past_due, interest, penalty, memo_interest, memo_penalty, accrued)
            AS v(loan_id, status, state, processed_through, days_past_due, interest_receivable, penalty_receivable, memo_interest,
                 memo_penalty, current_accrued)
    ), u AS (
        UPDATE loans l SET status = v.status, state = v.state FROM v
        WHERE l.loan_id = v.loan_id AND (l.status = 'signed') = from_signed RETURNING l.id, l.loan_id
    ), d AS (
        INSERT INTO loan_daily (id, processed_through, days_past_due, interest_receivable, penalty_receivable, memo_interest, memo_penalty,
            current_accrued)
        SELECT u.id, v.processed_through, v.days_past_due, v.interest_receivable, v.penalty_receivable, v.memo_interest, v.memo_penalty,
            v.current_accrued
        FROM u JOIN v ON v.loan_id = u.loan_id
        ON CONFLICT (id) DO UPDATE SET processed_through = excluded.processed_through, days_past_due = excluded.days_past_due,
            interest_receivable = excluded.interest_receivable, penalty_receivable = excluded.penalty_receivable,
            memo_interest = excluded.memo_interest, memo_penalty = excluded.memo_penalty, current_accrued = excluded.current_accrued
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM d), (SELECT v.loan_id FROM v WHERE v.loan_id NOT IN (SELECT u.loan_id FROM u) LIMIT 1) INTO saved, missing;
    IF saved <> cardinality(ids) THEN
        IF from_signed THEN
            RAISE EXCEPTION 'loan % is not waiting for its payout; run lending ledger verify', missing USING ERRCODE = 'P0001';
        ELSE
            RAISE EXCEPTION 'loan % has not been paid out; its state cannot be saved', missing USING ERRCODE = 'P0001';
        END IF;
    END IF;
END
$$;
