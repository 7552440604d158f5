import LendingModel

/// An invitation: who may apply, up to what limit, in which segment, until when.
public struct WhitelistEntry: Sendable, Hashable, Codable {
    /// A keyed hash of the ID number (the number itself is personal data and not kept here).
    public var idNumberKey: String
    public var preCreditLimit: Money
    public var segment: String
    public var validUntil: CalendarDay

    public init(idNumberKey: String, preCreditLimit: Money, segment: String, validUntil: CalendarDay) {
        self.idNumberKey = idNumberKey
        self.preCreditLimit = preCreditLimit
        self.segment = segment
        self.validUntil = validUntil
    }
}

/// The whitelist stage's answer.
public enum WhitelistVerdict: Sendable, Equatable {
    /// Invited: the limit can be at most `limitCap`, priced for `segment`.
    case invited(limitCap: Money, segment: String)
    case declined(DecisionReason)
}

/// The invitation-only rule: only whitelisted, unexpired applicants may be approved, and never
/// above their pre-credit limit.
public enum WhitelistCheck {
    /// - Parameters:
    ///   - entry: the applicant's invitation, if any.
    ///   - day: the business date of the application; the entry is valid through `validUntil`.
    public static func check(_ entry: WhitelistEntry?, on day: CalendarDay) -> WhitelistVerdict {
        guard let entry else { return .declined("WL_NOT_INVITED") }
        guard day <= entry.validUntil else { return .declined("WL_EXPIRED") }
        guard entry.preCreditLimit.fen > 0 else { return .declined("WL_NO_LIMIT") }
        return .invited(limitCap: entry.preCreditLimit, segment: entry.segment)
    }

    /// The approved limit: the smallest of the matrix limit, the pre-credit limit and the
    /// amount requested, rounded down to a multiple of `step` (default 100 yuan).
    public static func approvedLimit(matrixLimit: Money, preCreditLimit: Money, requested: Money,
                                     step: Money = Money(fen: 10_000)) -> Money {
        let smallest = min(matrixLimit, preCreditLimit, requested)
        guard smallest.fen > 0, step.fen > 0 else { return .zero }
        return Money(fen: smallest.fen / step.fen * step.fen)
    }
}
