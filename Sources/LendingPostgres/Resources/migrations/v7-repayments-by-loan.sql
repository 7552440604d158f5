-- A loan's payments in posted order, for reversals (repayments(loanID:)).
-- Shipped: never edit this file; change the schema in a new migration.
CREATE INDEX repayments_by_loan ON repayments (loan_id, entry_sequence);
