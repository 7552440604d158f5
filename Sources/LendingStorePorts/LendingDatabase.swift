/// Everything a lending database keeps, behind one value: the application path
/// (``DecisionStore``), the loan book with post-loan (``CollectionsStore``, which refines
/// ``ServicingStore``), the completed idempotency keys (``IdempotencyLog``) and the back office's
/// audit log and maker-checker requests (``AuditLog``, ``ApprovalReading``), all in one
/// database, so that one transaction can hold a decision or a repayment with its key.
///
/// The CLI and the HTTP service are typed against this (or the narrower ports), never against
/// an adapter: `--db` picks the adapter in one place (``LendingDatabaseURL``).
public protocol LendingDatabase: DecisionStore, CollectionsStore, IdempotencyLog, AuditLog, ApprovalReading {}
