-- Suspense receipts: held when recorded, moved to a loan once (loan, date and entry all set), ids in byte order.
-- Shipped: never edit this file; change the schema in a new migration.
CREATE TABLE suspense_receipts (
    receipt_id text COLLATE "C" PRIMARY KEY,
    received_on bigint NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    entry_sequence bigint NOT NULL,
    loan_id text,
    applied_on bigint,
    apply_sequence bigint,
    CHECK ((loan_id IS NULL) = (applied_on IS NULL) AND (loan_id IS NULL) = (apply_sequence IS NULL))
);
CREATE FUNCTION suspense_receipts_start_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.loan_id IS NOT NULL THEN
        RAISE EXCEPTION 'a new receipt is held in suspense; its move to a loan is an update' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER suspense_receipts_start_held BEFORE INSERT ON suspense_receipts FOR EACH ROW EXECUTE FUNCTION suspense_receipts_start_held();
CREATE FUNCTION suspense_receipts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.loan_id IS NOT NULL THEN
        RAISE EXCEPTION 'a receipt moved to a loan is final' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.receipt_id, NEW.received_on, NEW.amount, NEW.entry_sequence)
        IS DISTINCT FROM (OLD.receipt_id, OLD.received_on, OLD.amount, OLD.entry_sequence) THEN
        RAISE EXCEPTION 'a receipt keeps its id, date, amount and entry' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER suspense_receipts_final BEFORE UPDATE ON suspense_receipts FOR EACH ROW EXECUTE FUNCTION suspense_receipts_guard();
CREATE TRIGGER suspense_receipts_are_kept BEFORE DELETE ON suspense_receipts
    FOR EACH ROW EXECUTE FUNCTION lending_refuse('suspense receipts are never deleted');
CREATE TRIGGER suspense_receipts_are_not_truncated BEFORE TRUNCATE ON suspense_receipts
    FOR EACH STATEMENT EXECUTE FUNCTION lending_refuse('suspense receipts are never deleted');
