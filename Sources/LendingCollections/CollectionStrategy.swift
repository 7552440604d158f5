import LendingModel

/// The collections strategy: buckets, risk bands, the ladder of actions per bucket and band,
/// promise rules, contact limits, milestones (bureau report, insurance claim, write-off), early
/// warning thresholds and portfolio report options.
///
/// It is read from a versioned JSON file (`Models/collections-strategy.json` is the documented
/// default, equal to ``standard``); every field is described in `docs/collections.md`. Decode it
/// with ``decode(_:file:)``, which also validates it.
public struct CollectionStrategy: Sendable, Hashable, Codable {
    /// The file format's version; this code reads format 1.
    public var formatVersion: Int
    /// The strategy's own name and version, recorded with the actions it plans.
    public var name: String
    public var version: String
    /// When a borrower may be contacted, in the borrower's local time.
    public var contactHours: ContactHours
    /// Call attempt caps and the quiet period after a conversation.
    public var callLimits: CallLimits
    /// One entry per action: its channel, whether it is a call, its fallback and capacity.
    public var actions: [ActionSettings]
    /// Buckets by collection day (negative before the due date), in order, contiguous.
    public var buckets: [CollectionBucket]
    /// Risk bands by collection score, riskiest first.
    public var riskBands: [RiskBand]
    /// The ladder of stages for each bucket and band (`band` absent: every band not listed).
    public var ladders: [Ladder]
    public var promises: PromiseRules
    public var milestones: Milestones
    public var earlyWarning: EarlyWarningRules
    public var portfolio: PortfolioOptions

    public init(formatVersion: Int = 1, name: String, version: String, contactHours: ContactHours, callLimits: CallLimits,
                actions: [ActionSettings], buckets: [CollectionBucket], riskBands: [RiskBand], ladders: [Ladder],
                promises: PromiseRules, milestones: Milestones, earlyWarning: EarlyWarningRules, portfolio: PortfolioOptions) {
        self.formatVersion = formatVersion
        self.name = name
        self.version = version
        self.contactHours = contactHours
        self.callLimits = callLimits
        self.actions = actions
        self.buckets = buckets
        self.riskBands = riskBands
        self.ladders = ladders
        self.promises = promises
        self.milestones = milestones
        self.earlyWarning = earlyWarning
        self.portfolio = portfolio
    }

    /// The settings of one action (every action has exactly one entry in a valid strategy).
    public func settings(of action: CollectionAction) -> ActionSettings? {
        actions.first { $0.action == action }
    }
}

/// A time of day, `HH:MM` in files, held as seconds after midnight.
public struct LocalTimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds after local midnight (0..<86 400).
    public var secondsOfDay: Int

    public init(hour: Int, minute: Int = 0) {
        precondition((0..<24).contains(hour) && (0..<60).contains(minute), "a time of day is 00:00 to 23:59")
        secondsOfDay = hour * 3600 + minute * 60
    }

    /// Parses `HH:MM` (00:00 to 23:59); `nil` otherwise.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              bytes.allSatisfy({ $0 == UInt8(ascii: ":") || (48...57).contains($0) }) else { return nil }
        let hour = Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48)
        let minute = Int(bytes[3] - 48) * 10 + Int(bytes[4] - 48)
        guard hour < 24, minute < 60 else { return nil }
        secondsOfDay = hour * 3600 + minute * 60
    }

    public var description: String {
        let hour = secondsOfDay / 3600, minute = secondsOfDay / 60 % 60
        return "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.secondsOfDay < rhs.secondsOfDay }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = LocalTimeOfDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a time of day HH:MM")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Contact hours in the borrower's local time: a contact may start at `start` and must start
/// before `end` (the window is half-open, so with 08:00–21:00 nothing starts at 21:00:00).
public struct ContactHours: Sendable, Hashable, Codable {
    public var start: LocalTimeOfDay
    public var end: LocalTimeOfDay

    public init(start: LocalTimeOfDay, end: LocalTimeOfDay) {
        self.start = start
        self.end = end
    }
}

/// Limits on calls (actions whose settings say `isCall`).
public struct CallLimits: Sendable, Hashable, Codable {
    /// At most this many call attempts per loan in any rolling window of `windowDays` days:
    /// a call at `t` is allowed only if the calls in (t − window, t], itself included, number at
    /// most `maxAttempts`. Planned calls count as well as executed ones.
    public var maxAttempts: Int
    public var windowDays: Int
    /// No call in the `quietDaysAfterConversation` × 24 hours after a conversation: a call at
    /// `t` is forbidden when `c < t < c + quiet` for a conversation at `c`.
    public var quietDaysAfterConversation: Int
    /// The results of a *call* that count as a conversation (a right-party contact). Results of
    /// other actions (an SMS, a visit) never start the quiet period.
    public var conversationResults: [ContactResult]
    /// Minimum spacing between two attempts planned for the same loan on one day.
    public var minutesBetweenAttempts: Int
    /// When a call is blocked by the attempt cap or the quiet period: `true` tries the action's
    /// fallback (say an SMS), `false` plans nothing that day for the loan.
    public var fallBackWhenLimited: Bool

    public init(maxAttempts: Int, windowDays: Int, quietDaysAfterConversation: Int, conversationResults: [ContactResult],
                minutesBetweenAttempts: Int, fallBackWhenLimited: Bool) {
        self.maxAttempts = maxAttempts
        self.windowDays = windowDays
        self.quietDaysAfterConversation = quietDaysAfterConversation
        self.conversationResults = conversationResults
        self.minutesBetweenAttempts = minutesBetweenAttempts
        self.fallBackWhenLimited = fallBackWhenLimited
    }
}

/// What an action is: its channel, whether it is a call, what to do instead when it cannot be
/// done (opt-out, capacity), and an optional capacity per plan run (one business day).
public struct ActionSettings: Sendable, Hashable, Codable {
    public var action: CollectionAction
    public var channel: ContactChannel
    /// Calls count against the attempt cap and respect the quiet period.
    public var isCall: Bool
    /// The next action down, tried when this one is not permitted; absent: none.
    public var fallback: CollectionAction?
    /// At most this many attempts of this action per plan run, given to the riskiest loans
    /// first; the overflow goes to the fallback. Absent: unlimited.
    public var dailyCapacity: Int?

    public init(action: CollectionAction, channel: ContactChannel, isCall: Bool = false,
                fallback: CollectionAction? = nil, dailyCapacity: Int? = nil) {
        self.action = action
        self.channel = channel
        self.isCall = isCall
        self.fallback = fallback
        self.dailyCapacity = dailyCapacity
    }
}

/// A range of collection days, both ends inclusive; `toDay` absent means no upper end.
///
/// The collection day of a loan is its days past due when overdue, and minus the days to its
/// next due date when it is not (0 on the due date itself, −3 three days before).
public struct CollectionBucket: Sendable, Hashable, Codable {
    public var name: String
    public var fromDay: Int
    public var toDay: Int?

    public init(name: String, fromDay: Int, toDay: Int?) {
        self.name = name
        self.fromDay = fromDay
        self.toDay = toDay
    }

    /// Whether `day` is in the bucket.
    public func contains(_ day: Int) -> Bool { day >= fromDay && (toDay.map { day <= $0 } ?? true) }
}

/// A risk band: loans whose collection score is below `belowScore` (and not in an earlier
/// band). Scores are scorecard points, higher = more likely to pay, so bands go riskiest first;
/// the last band has no bound.
public struct RiskBand: Sendable, Hashable, Codable {
    public var name: String
    public var belowScore: Double?

    public init(name: String, belowScore: Double?) {
        self.name = name
        self.belowScore = belowScore
    }
}

/// The stages of one bucket for one risk band (or for every band not given its own ladder).
public struct Ladder: Sendable, Hashable, Codable {
    public var bucket: String
    public var band: String?
    public var stages: [LadderStage]

    public init(bucket: String, band: String? = nil, stages: [LadderStage]) {
        self.bucket = bucket
        self.band = band
        self.stages = stages
    }
}

/// One stage of a ladder: from collection day `fromDay` on (by schedule), `action` is taken on
/// the day the stage is entered and then every `everyDays` days (0: only on entering).
public struct LadderStage: Sendable, Hashable, Codable {
    public var action: CollectionAction
    public var fromDay: Int
    public var everyDays: Int
    /// Attempts per day for a call (spaced by `minutesBetweenAttempts`); 1 for anything else.
    public var attemptsPerDay: Int
    /// The preferred local time of the first attempt; absent: as soon as contact hours allow.
    public var localTime: LocalTimeOfDay?

    public init(action: CollectionAction, fromDay: Int, everyDays: Int = 0, attemptsPerDay: Int = 1, localTime: LocalTimeOfDay? = nil) {
        self.action = action
        self.fromDay = fromDay
        self.everyDays = everyDays
        self.attemptsPerDay = attemptsPerDay
        self.localTime = localTime
    }
}

/// Promise-to-pay rules.
public struct PromiseRules: Sendable, Hashable, Codable {
    /// Escalation stays paused through promise date + `graceDays`; the promise is broken on the
    /// day after if less than the promised amount was paid since it was made.
    public var graceDays: Int
    /// A promise date further than this many days after the promise is cut to this horizon.
    public var maxPromiseDays: Int
    /// After a kept promise that leaves the loan still overdue, escalation stays paused this
    /// many more days (0: resume the next day).
    public var keptPauseDays: Int
    /// Whether a kept promise forgives the escalation earned by earlier broken promises.
    public var keptResetsEscalation: Bool

    public init(graceDays: Int, maxPromiseDays: Int, keptPauseDays: Int, keptResetsEscalation: Bool) {
        self.graceDays = graceDays
        self.maxPromiseDays = maxPromiseDays
        self.keptPauseDays = keptPauseDays
        self.keptResetsEscalation = keptResetsEscalation
    }
}

/// Once-per-loan actions, each on the day the loan reaches the given days past due.
public struct Milestones: Sendable, Hashable, Codable {
    /// Report the loan to the credit bureau; absent: never.
    public var bureauReportDay: Int?
    /// Claim on the credit insurance of insured loans; absent: never.
    public var insuranceClaimDay: Int?
    /// Write the loan off; it then leaves the ladder.
    public var writeOffDay: Int

    public init(bureauReportDay: Int?, insuranceClaimDay: Int?, writeOffDay: Int) {
        self.bureauReportDay = bureauReportDay
        self.insuranceClaimDay = insuranceClaimDay
        self.writeOffDay = writeOffDay
    }
}
