import Foundation

/// What an API key may do. A route needs one role (``RouteSpec/role``); `admin` may do everything.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// `POST /v1/score`.
    case scoring
    /// Applications, their agreements and signatures.
    case applications
    /// The review queue and maker-checker approvals.
    case review
    /// Draws, repayments, loans, payouts, end-of-day status.
    case servicing
    /// The collections work queue and outcomes.
    case collections
    /// Everything, and alone: the audit log and exports with personal data.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Roles from `scoring,review` (`*` or `all`: every role).
    public static func parse(list text: some StringProtocol) -> Set<Role>? {
        if text == "*" || text == "all" { return Set(Role.allCases) }
        var roles = Set<Role>()
        for part in text.split(separator: ",") {
            guard let role = Role(rawValue: String(part).trimmingCharacters(in: .whitespaces)) else { return nil }
            roles.insert(role)
        }
        return roles.isEmpty ? nil : roles
    }
}

/// Who a request comes from: an API key's name and roles (never the key itself).
public struct Caller: Sendable, Equatable {
    /// The key's name, as the audit log records it (`key-` and the first 8 hex digits of the
    /// key's SHA-256 when the key file gives none).
    public var name: String
    public var roles: Set<Role>

    public init(name: String, roles: Set<Role>) {
        self.name = name
        self.roles = roles
    }

    /// Whether the caller holds `role` (or `admin`).
    public func holds(_ role: Role) -> Bool { roles.contains(role) || roles.contains(.admin) }
}

/// One route of the service: its method, path template, the role it needs and whether it writes
/// (and is recorded in the audit log). ``LendingService/routes`` lists them all; the router is
/// built from the same list, the OpenAPI document is checked against it (LendingHTTPTests), and a
/// request for a known path with another method gets 405 with `Allow`.
public struct RouteSpec: Sendable, Equatable {
    public var method: String
    /// `/v1/loans/{id}`.
    public var path: String
    /// The role needed; `nil`: any valid key (or none for `/health`), the handler checking the
    /// role when it depends on what is asked (exports, approvals).
    public var role: Role?
    /// Whether the route writes (every POST but scoring, which stores nothing): recorded in the audit log.
    public var writes: Bool { method == "POST" && path != "/v1/score" }

    public init(_ method: String, _ path: String, role: Role?) {
        self.method = method
        self.path = path
        self.role = role
    }

    /// Whether a concrete path (`/v1/loans/L-1`) fits this template: same segments, `{name}`
    /// segments matching any one non-empty segment.
    public func matches(path concrete: some StringProtocol) -> Bool {
        let wanted = path.split(separator: "/", omittingEmptySubsequences: false)
        let given = concrete.split(separator: "/", omittingEmptySubsequences: false)
        guard wanted.count == given.count else { return false }
        for (template, segment) in zip(wanted, given) {
            if template.hasPrefix("{") && template.hasSuffix("}") {
                if segment.isEmpty { return false }
            } else if template != segment {
                return false
            }
        }
        return true
    }
}

extension LendingService {
    /// Every route the service answers, with the role it needs.
    public static let routes: [RouteSpec] = [
        RouteSpec("GET", "/health", role: nil),
        RouteSpec("GET", "/metrics", role: nil),
        RouteSpec("GET", "/openapi.yaml", role: nil),
        RouteSpec("POST", "/v1/score", role: .scoring),
        RouteSpec("POST", "/v1/applications", role: .applications),
        RouteSpec("GET", "/v1/applications/{id}", role: .applications),
        RouteSpec("GET", "/v1/applications/{id}/agreement", role: .applications),
        RouteSpec("POST", "/v1/applications/{id}/signature", role: .applications),
        RouteSpec("GET", "/v1/reviews", role: .review),
        RouteSpec("POST", "/v1/reviews/{id}/decision", role: .review),
        RouteSpec("GET", "/v1/approvals", role: nil),
        RouteSpec("POST", "/v1/approvals/{id}/decision", role: nil),
        RouteSpec("POST", "/v1/loans/{id}/write-off", role: .collections),
        RouteSpec("POST", "/v1/loans/{id}/restructurings", role: .servicing),
        RouteSpec("POST", "/v1/loans/{id}/refunds", role: .servicing),
        RouteSpec("POST", "/v1/suspense/receipts", role: .servicing),
        RouteSpec("POST", "/v1/suspense/receipts/{id}/move", role: .servicing),
        RouteSpec("POST", "/v1/lines/{id}/draws", role: .servicing),
        RouteSpec("POST", "/v1/loans/{id}/repayments", role: .servicing),
        RouteSpec("POST", "/v1/repayments/{id}/reversal", role: .servicing),
        RouteSpec("GET", "/v1/loans/{id}", role: .servicing),
        RouteSpec("GET", "/v1/loans/{id}/payouts", role: .servicing),
        RouteSpec("GET", "/v1/eod", role: .servicing),
        RouteSpec("GET", "/v1/collections/queue", role: .collections),
        RouteSpec("POST", "/v1/collections/outcomes", role: .collections),
        RouteSpec("GET", "/v1/exports/{kind}", role: nil),
        RouteSpec("GET", "/v1/audit", role: .admin),
    ]

    /// The route a request's method and template name, if any.
    static func route(method: String, template: String) -> RouteSpec? {
        routes.first { $0.method == method && $0.path == template }
    }

    /// The methods declared for a concrete path (for 405's `Allow`), empty for an unknown path.
    static func methods(forPath path: some StringProtocol) -> [String] {
        var methods: [String] = []
        // A literal segment wins over a parameter (`/v1/collections/queue` is not `/v1/collections/{x}`).
        for spec in routes where spec.matches(path: path) && !methods.contains(spec.method) { methods.append(spec.method) }
        return methods
    }
}
