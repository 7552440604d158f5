/// How a decision stage rates an application: pass, send to a person, or decline. Ordered, so the
/// worst of several stages is their maximum.
public enum StageOutcome: Int, Sendable, Comparable, Codable, CaseIterable, CustomStringConvertible {
    case pass = 0
    case review = 1
    case decline = 2

    public static func < (lhs: StageOutcome, rhs: StageOutcome) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `pass`, `review` or `decline`, as in policy files.
    public var description: String {
        switch self {
        case .pass: "pass"
        case .review: "review"
        case .decline: "decline"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let outcome = StageOutcome.allCases.first(where: { $0.description == text }) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an outcome; use pass, review or decline")
        }
        self = outcome
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A stage's outcome with the reasons that led to it (empty when the stage passes cleanly).
public struct StageVerdict: Sendable, Equatable {
    public var outcome: StageOutcome
    public var reasons: [DecisionReason]

    public init(outcome: StageOutcome = .pass, reasons: [DecisionReason] = []) {
        self.outcome = outcome
        self.reasons = reasons
    }

    public static let pass = StageVerdict()

    /// Adds a reason and raises the outcome to at least `level`.
    public mutating func flag(_ level: StageOutcome, _ reason: DecisionReason) {
        outcome = max(outcome, level)
        reasons.append(reason)
    }
}
