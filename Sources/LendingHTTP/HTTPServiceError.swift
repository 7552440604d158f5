import Hummingbird

/// A request the service refuses, with the HTTP status it maps to. Sent as
/// `{"error": {"code": "...", "message": "..."}}`. Messages say what to do and never hold
/// personal data (no ID numbers, names, phones or cards).
public struct HTTPServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 401, 403, 404, 405, 409, 413, 422, 500, 501 or 503.
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code (`http.unauthorized`, `apply.field`, `idempotency.mismatch`).
    public var code: String
    /// What is wrong and what to do.
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ code: String, _ message: String) -> HTTPServiceError { HTTPServiceError(.badRequest, code: code, message: message) }

    static let unauthorized = HTTPServiceError(
        .unauthorized, code: "http.unauthorized",
        message: "send a valid API key as \"Authorization: Bearer KEY\"")

    static func forbidden(_ role: Role) -> HTTPServiceError {
        HTTPServiceError(.forbidden, code: "http.forbidden", message: "this API key lacks the role \(role.rawValue) this route needs; use a key with it")
    }

    static func notFound(_ what: String) -> HTTPServiceError { HTTPServiceError(.notFound, code: "http.not_found", message: what) }
}
