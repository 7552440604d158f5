import LendingCSV
import LendingModel
import LendingScoring

/// A failure of a batch job, printable as `FILE:LINE:COLUMN: message`.
public struct BatchScoreError: LendingDiagnostic, Sendable {
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var file: String?

    init(_ kind: CSVError.Kind, _ message: String, at location: SourceLocation?, file: String? = nil) {
        self.code = kind.rawValue
        self.message = message
        self.location = location
        self.file = file ?? location?.file
    }

    init(code: String, _ message: String, at location: SourceLocation?, file: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.file = file ?? location?.file
    }

    init(_ error: CSVError, file: String? = nil) {
        self.code = error.code
        self.message = error.message
        self.location = error.location
        self.file = error.file ?? file
    }
}
