import LendingModel

/// A failure reading or writing CSV: bad structure, bad bytes, or the file system.
public struct CSVError: LendingDiagnostic, Sendable, Equatable {
    /// What kind of failure, as a stable code.
    public enum Kind: String, Sendable {
        case unterminatedQuote = "csv.unterminated_quote"
        case textAfterClosingQuote = "csv.text_after_closing_quote"
        case quoteInUnquotedField = "csv.quote_in_unquoted_field"
        case fieldCount = "csv.field_count"
        case recordTooLong = "csv.record_too_long"
        case invalidUTF8 = "csv.invalid_utf8"
        case nulByte = "csv.nul_byte"
        case emptyFile = "csv.empty_file"
        case header = "csv.header"
        case io = "csv.io"
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    public var file: String?

    public var code: String { kind.rawValue }

    public init(_ kind: Kind, _ message: String, location: SourceLocation? = nil, file: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.file = file ?? location?.file
    }
}
