/// A failure loading a model or scoring a value. Messages never contain personal data.
public struct ScoringError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidModel = "scoring.invalid_model"
        case unsupportedFormat = "scoring.unsupported_format"
        case badNumber = "scoring.bad_number"
        case unseenCategory = "scoring.unseen_category"
        case missingValue = "scoring.missing_value"
        case missingCharacteristic = "scoring.missing_characteristic"
        case io = "scoring.io"
    }

    public var kind: Kind
    public var message: String
    /// The characteristic concerned, if any.
    public var characteristic: String?

    /// The line of the input file (a scorecard table being imported), if known.
    public var line: Int?

    public init(_ kind: Kind, _ message: String, characteristic: String? = nil, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.characteristic = characteristic
        self.line = line
    }

    public var code: String { kind.rawValue }
    public var description: String { message }
}
