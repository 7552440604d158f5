-- Refunds: recorded sent with their entry, final once paid or failed (failed exactly with a return entry), keys in byte order.
-- Shipped: never edit this file; change the schema in a new migration.
CREATE TABLE refunds (
    key text COLLATE "C" PRIMARY KEY,
    loan_id text NOT NULL,
    number bigint NOT NULL CHECK (number >= 1),
    amount bigint NOT NULL CHECK (amount > 0),
    status text NOT NULL CHECK (status IN ('sent', 'paid', 'failed', 'unknown')),
    requested_on bigint NOT NULL,
    settled_on bigint,
    reason text,
    entry_sequence bigint NOT NULL,
    return_sequence bigint,
    UNIQUE (loan_id, number),
    CHECK ((status = 'failed') = (return_sequence IS NOT NULL))
);
CREATE INDEX refunds_in_flight ON refunds (key) WHERE status IN ('sent', 'unknown');
CREATE FUNCTION refunds_start_sent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'sent' THEN
        RAISE EXCEPTION 'a new refund is sent (the intent); its answer is recorded by an update' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER refunds_start_sent BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_start_sent();
CREATE FUNCTION refunds_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('paid', 'failed') THEN
        RAISE EXCEPTION 'a paid or failed refund is final' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.key, NEW.loan_id, NEW.number, NEW.amount, NEW.requested_on, NEW.entry_sequence)
        IS DISTINCT FROM (OLD.key, OLD.loan_id, OLD.number, OLD.amount, OLD.requested_on, OLD.entry_sequence) THEN
        RAISE EXCEPTION 'a refund keeps its key, loan, number, amount, date and entry' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER refunds_final BEFORE UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_guard();
CREATE TRIGGER refunds_are_kept BEFORE DELETE ON refunds
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('refunds are never deleted');
CREATE TRIGGER refunds_are_not_truncated BEFORE TRUNCATE ON refunds
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('refunds are never deleted');
