import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import Logging

/// An application problem that is the input's fault: a field that cannot be used, or an
/// application id already decided with other inputs. The caller locates it (file, line,
/// column) or turns it into a 400.
public struct ApplicationError: LendingDiagnostic, Sendable, Equatable {
    public var code: String
    public var message: String
    /// The column at fault.
    public var field: String
    public var location: SourceLocation?

    public init(code: String, field: String, message: String, location: SourceLocation? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.location = location
    }
}
