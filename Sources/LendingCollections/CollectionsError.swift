import LendingModel

/// A failure of the collections module: a strategy file that cannot be read or is inconsistent.
///
/// Business outcomes (a skipped action, a broken promise) are values, never errors. Messages say
/// what is wrong and what to do, and never carry personal data.
public struct CollectionsError: LendingDiagnostic, Sendable, Equatable {
    /// What kind of failure, as a stable code.
    public enum Kind: String, Sendable {
        /// The strategy JSON does not decode (syntax, a missing field, a wrong type).
        case invalidJSON = "collections.invalid_json"
        /// The strategy decodes but breaks a rule (overlapping buckets, a ladder with no stage...).
        case invalidStrategy = "collections.invalid_strategy"
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    public var file: String?

    public var code: String { kind.rawValue }

    public init(_ kind: Kind, _ message: String, file: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = nil
        self.file = file
    }
}
