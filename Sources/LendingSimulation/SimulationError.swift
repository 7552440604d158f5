import LendingModel

/// A generator configuration that cannot be generated: says which option is wrong and what to do.
public struct SimulationError: LendingDiagnostic, Sendable, Equatable {
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
