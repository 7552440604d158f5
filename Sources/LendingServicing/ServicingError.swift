import LendingModel

/// Why a servicing request cannot be carried out, and what to do. Business outcomes (a refused
/// draw) are values, not errors. Messages carry loan, line and payment ids, never personal data.
public struct ServicingError: LendingDiagnostic, Sendable, Equatable {
    /// A stable code: `servicing.invalid_terms`, `servicing.invalid_amount`, `servicing.invalid_term`,
    /// `servicing.amount_too_large`, `servicing.backdated`, `servicing.wrong_loan`, `servicing.invalid_limit`.
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
