/// The outcome of a decision, as in DECISIONS.csv.
public enum DecisionOutcome: String, Sendable, Hashable, Codable {
    case approve
    case review
    case decline
}

/// The approval funnel: applied → passed whitelist → identity → fraud → credit → approved, and
/// the most frequent decline reasons.
///
/// A declined application leaves the funnel at the earliest stage among its reason codes
/// (`WL_` whitelist, `ID_` identity, `FR_` fraud, `CR_` and `PL_` credit and policy; a decline with
/// no known prefix counts at credit). Applications in review passed every stage but are not
/// approved.
public struct ApprovalFunnel: Sendable, Hashable {
    public var applied: Int
    public var passedWhitelist: Int
    public var passedIdentity: Int
    public var passedFraud: Int
    public var passedCredit: Int
    public var approved: Int
    public var inReview: Int
    /// Decline reason codes by the number of declined applications carrying them (each code once
    /// per application), most frequent first, ties by code; at most the requested number.
    public var topDeclineReasons: [ReasonCount]
}

/// A reason code and how many applications carry it.
public struct ReasonCount: Sendable, Hashable {
    public var code: String
    public var count: Int

    public init(code: String, count: Int) {
        self.code = code
        self.count = count
    }
}

/// Counts decisions one at a time (so a large decision log streams through it).
public struct ApprovalFunnelCounter: Sendable {
    private var applied = 0
    private var approved = 0
    private var inReview = 0
    /// Declines by stage: whitelist, identity, fraud, credit.
    private var declinedAt = [0, 0, 0, 0]
    private var reasonCounts: [String: Int] = [:]

    public init() {}

    /// Adds one decision.
    public mutating func add(outcome: DecisionOutcome, reasonCodes: some Sequence<String>) {
        applied += 1
        switch outcome {
        case .approve: approved += 1
        case .review: inReview += 1
        case .decline:
            var stage = 3
            var seen = Set<String>()
            for code in reasonCodes where seen.insert(code).inserted {
                reasonCounts[code, default: 0] += 1
                switch code.prefix(3) {
                case "WL_": stage = min(stage, 0)
                case "ID_": stage = min(stage, 1)
                case "FR_": stage = min(stage, 2)
                default: break
                }
            }
            declinedAt[stage] += 1
        }
    }

    /// The funnel so far, with the `top` most frequent decline reasons.
    public func funnel(top: Int) -> ApprovalFunnel {
        let passedWhitelist = applied - declinedAt[0]
        let passedIdentity = passedWhitelist - declinedAt[1]
        let passedFraud = passedIdentity - declinedAt[2]
        let reasons = reasonCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(top, 0)).map { ReasonCount(code: $0.key, count: $0.value) }
        return ApprovalFunnel(applied: applied, passedWhitelist: passedWhitelist, passedIdentity: passedIdentity,
                              passedFraud: passedFraud, passedCredit: passedFraud - declinedAt[3], approved: approved,
                              inReview: inReview, topDeclineReasons: Array(reasons))
    }
}
