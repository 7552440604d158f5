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

/// The invitation-only rule: only whitelisted, unexpired applicants may be approved (and, by the
/// decision stage's `LimitRule`, never above their pre-credit limit).
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
}

/// How `whitelist build` turns a score into an invitation: the highest band the score reaches
/// gives the pre-credit limit and the segment. Scores below every band are not invited.
public struct WhitelistBands: Sendable, Equatable, Codable {
    public struct Band: Sendable, Equatable, Codable {
        public var minimumScore: Double
        public var preCreditLimit: Money
        public var segment: String

        public init(minimumScore: Double, preCreditLimit: Money, segment: String) {
            self.minimumScore = minimumScore
            self.preCreditLimit = preCreditLimit
            self.segment = segment
        }
    }

    public var bands: [Band]
    /// Invitations are valid for this many days after the build date.
    public var validDays: Int

    public init(bands: [Band], validDays: Int = 90) {
        self.bands = bands
        self.validDays = validDays
    }

    /// The band for a score at or above `minimumScore` (the build's own cut-off), if any.
    public func band(for score: Double, minimumScore: Double) -> Band? {
        guard score >= minimumScore else { return nil }
        return bands.filter { score >= $0.minimumScore }.max { $0.minimumScore < $1.minimumScore }
    }
}
