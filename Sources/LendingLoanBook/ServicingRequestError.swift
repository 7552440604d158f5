import Crypto
import LendingLedger
import LendingModel
import LendingServicing

/// A servicing request that cannot be carried out, by the request's fault: an unknown loan or
/// line, an id already used for another request, a refused draw, a payment dated before the
/// loan's last end of day. Nothing was written. The caller locates it (file, line, column of
/// ``field``) or turns it into an HTTP status (`*.conflict`: 409, `*.unknown_*`: 404, else 422).
public struct ServicingRequestError: LendingDiagnostic, Sendable, Equatable {
    public var code: String
    /// The request field at fault (`amount`, `loan_id`, ...).
    public var field: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }
}
