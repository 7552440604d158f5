import LendingModel

/// What is wrong with a journal entry or a stored journal, and what to do.
///
/// Messages carry entry ids and account names, never personal data.
public struct LedgerError: LendingDiagnostic, Sendable, Equatable {
    /// A stable code: `ledger.too_few_postings`, `ledger.non_positive_amount`, `ledger.unbalanced`,
    /// `ledger.empty_id`, `ledger.loan_mismatch`, `ledger.bad_reversal`.
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
