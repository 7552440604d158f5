import LendingModel

/// A write the in-memory store refused: the same writes SQLite's schema refuses (a duplicate id,
/// a journal that does not continue its head, a final payout changed), so that code tested
/// against memory fails where it would fail in production. Messages name record ids only, never
/// personal data or idempotency keys.
public struct InMemoryStoreError: LendingDiagnostic, Sendable, Equatable {
    /// `store.duplicate`, `store.chain`, `store.loan_state`, `store.line`, `store.payout`,
    /// `store.position`, `store.constraint` or `store.read_only`.
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// A record whose id (or unique key) is already stored.
    static func duplicate(_ what: String) -> InMemoryStoreError {
        InMemoryStoreError(code: "store.duplicate", message: "\(what) is already stored; a stored record is never replaced")
    }

    /// A value the schema's checks refuse (a non-positive amount, a malformed hash...).
    static func constraint(_ what: String) -> InMemoryStoreError {
        InMemoryStoreError(code: "store.constraint", message: "\(what); the record was not stored")
    }

    /// A write attempted in a read-only snapshot.
    static let readOnly = InMemoryStoreError(
        code: "store.read_only", message: "a read-only snapshot cannot write; write inside a write transaction")
}
