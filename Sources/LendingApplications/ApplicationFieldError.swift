import LendingIdentity
import LendingModel
import LendingScoring

/// A field of an application that cannot be read: which field and what to do.
public struct ApplicationFieldError: Error, Sendable, Equatable {
    /// The column (contract name or characteristic name).
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
