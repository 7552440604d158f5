/// Where in an input file something was found: the file's path as the user gave it, and a
/// 1-based line and column (columns count characters, not bytes).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// The error every module's error type can present to a user: one line,
/// `FILE:LINE:COLUMN: what is wrong, and what to do`. Messages never contain personal data.
public protocol LendingDiagnostic: Error, CustomStringConvertible {
    /// A stable, machine-readable code (`csv.unterminated_quote`).
    var code: String { get }
    /// What is wrong and what to do, without the location.
    var message: String { get }
    /// Where, if the error is tied to a place in a file.
    var location: SourceLocation? { get }
    /// The file, when the error is tied to a file but not to a place in it.
    var file: String? { get }
}

extension LendingDiagnostic {
    public var file: String? { location?.file }

    /// The one-line form for stderr.
    public var description: String {
        if let location { return "\(location): \(message)" }
        if let file { return "\(file): \(message)" }
        return message
    }
}

/// A plain diagnostic for failures that have no module-specific type.
public struct LendingError: LendingDiagnostic, Sendable, Equatable {
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var file: String?

    public init(code: String, message: String, location: SourceLocation? = nil, file: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.file = file ?? location?.file
    }
}

/// A value quoted in a message: at most 40 characters (37 and `...` when longer). Never pass
/// personal data (ID numbers, names, phones, cards): messages reach logs and terminals.
public func clippedForMessage(_ text: String) -> String {
    text.count > 40 ? String(text.prefix(37)) + "..." : text
}
