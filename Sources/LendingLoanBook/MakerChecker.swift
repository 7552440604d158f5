import Foundation
import LendingModel
import LendingStorePorts

/// What every maker-checker desk shares (write-offs, reversals, restructurings): the reason's
/// rule, who counts as the same person, and how a verdict is recorded on the request.
public enum MakerChecker {
    /// What a reason may not be made of alone: the white space of JSON Schema's `\s` (ECMAScript's).
    public static let blank = CharacterSet(charactersIn: "\t\n\u{0B}\u{0C}\r \u{A0}\u{1680}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}")
        .union(CharacterSet(charactersIn: "\u{2000}"..."\u{200A}"))

    /// The reason trimmed of blanks.
    /// - Throws: ``ServicingRequestError`` `code` (field `reason`) unless it is 1 to 200 characters,
    ///   counted in Unicode scalars as JSON Schema's maxLength counts, without control characters.
    public static func reason(_ reason: String, code: String) throws -> String {
        let trimmed = reason.trimmingCharacters(in: blank)
        guard !trimmed.isEmpty, reason.unicodeScalars.count <= 200, !reason.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw ServicingRequestError(code: code, field: "reason", message: "the reason must be 1 to 200 characters (Unicode scalars) without control characters")
        }
        return trimmed
    }

    /// Whether two names are one person: compared trimmed and case-folded (`li wei` is `Li Wei`).
    public static func samePerson(_ one: String, _ other: String) -> Bool {
        one.trimmingCharacters(in: .whitespaces).lowercased() == other.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The request with the checker's verdict.
    public static func decided(_ request: ApprovalRequest, _ status: ApprovalRequest.Status, by checker: String, at time: Instant) -> ApprovalRequest {
        var request = request
        request.status = status
        request.decidedBy = checker
        request.decidedAt = time
        return request
    }

    /// Numbered requests (`KIND:TARGET:1`, `:2`, ...; requests are never removed), in the order asked.
    static func numberedRequests(in transaction: any ServicingTransaction, id: (Int) -> String) throws -> [ApprovalRequest] {
        var found: [ApprovalRequest] = []
        while let request = try transaction.approval(requestID: id(found.count + 1)) { found.append(request) }
        return found
    }

    /// `text` escaped for a JSON string (quotes and backslashes; reasons hold no control characters).
    public static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// What a maker-checker request holds in its payload: JSON with sorted keys, read back as `nil`
/// when it is anything else.
protocol RequestPayload: Codable {}

extension RequestPayload {
    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> Self? { try? JSONDecoder().decode(Self.self, from: Data(text.utf8)) }
}
