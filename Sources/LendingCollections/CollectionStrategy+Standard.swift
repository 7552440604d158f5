import LendingModel

extension CollectionStrategy {
    /// The documented default strategy (the content of `Models/collections-strategy.json`).
    ///
    /// Buckets pre-due (−3…0), 1-3, 4-15, 16-30, 31-60, 61-90, 90+ (91 on); bands high (< 560),
    /// medium (< 620), low; contact hours 08:00–21:00; 7 calls per rolling 7 days and 7 quiet
    /// days after a conversation; bureau report at 30, insurance claim at 90, write-off at 180
    /// days past due.
    public static let standard: CollectionStrategy = {
        func stage(_ action: CollectionAction, _ from: Int, every: Int = 0, attempts: Int = 1, at time: LocalTimeOfDay? = nil) -> LadderStage {
            LadderStage(action: action, fromDay: from, everyDays: every, attemptsPerDay: attempts, localTime: time)
        }
        let ten = LocalTimeOfDay(hour: 10)
        return CollectionStrategy(
            formatVersion: 1,
            name: "standard",
            version: "2026.1",
            contactHours: ContactHours(start: LocalTimeOfDay(hour: 8), end: LocalTimeOfDay(hour: 21)),
            callLimits: CallLimits(maxAttempts: 7, windowDays: 7, quietDaysAfterConversation: 7,
                                   conversationResults: [.contacted, .promiseToPay, .dispute, .paid],
                                   minutesBetweenAttempts: 180, fallBackWhenLimited: false),
            actions: [
                ActionSettings(action: .reminder, channel: .sms),
                ActionSettings(action: .sms, channel: .sms),
                ActionSettings(action: .voiceBot, channel: .phone, isCall: true, fallback: .sms),
                ActionSettings(action: .agentCall, channel: .phone, isCall: true, fallback: .voiceBot),
                ActionSettings(action: .outsourcedCall, channel: .phone, isCall: true, fallback: .sms),
                ActionSettings(action: .fieldVisit, channel: .visit, fallback: .outsourcedCall),
                ActionSettings(action: .legal, channel: .letter),
                ActionSettings(action: .bureauReport, channel: .internal),
                ActionSettings(action: .insuranceClaim, channel: .internal),
                ActionSettings(action: .writeOff, channel: .internal),
            ],
            buckets: [
                CollectionBucket(name: "pre-due", fromDay: -3, toDay: 0),
                CollectionBucket(name: "1-3", fromDay: 1, toDay: 3),
                CollectionBucket(name: "4-15", fromDay: 4, toDay: 15),
                CollectionBucket(name: "16-30", fromDay: 16, toDay: 30),
                CollectionBucket(name: "31-60", fromDay: 31, toDay: 60),
                CollectionBucket(name: "61-90", fromDay: 61, toDay: 90),
                CollectionBucket(name: "90+", fromDay: 91, toDay: nil),
            ],
            riskBands: [
                RiskBand(name: "high", belowScore: 560),
                RiskBand(name: "medium", belowScore: 620),
                RiskBand(name: "low", belowScore: nil),
            ],
            ladders: [
                Ladder(bucket: "pre-due", stages: [stage(.reminder, -3, at: ten), stage(.reminder, 0, at: ten)]),
                Ladder(bucket: "pre-due", band: "high",
                       stages: [stage(.reminder, -3, at: ten), stage(.reminder, -1, at: ten), stage(.voiceBot, 0, at: ten)]),
                Ladder(bucket: "1-3", stages: [stage(.sms, 1), stage(.voiceBot, 2, every: 1)]),
                Ladder(bucket: "1-3", band: "high", stages: [stage(.sms, 1), stage(.agentCall, 2, every: 1)]),
                Ladder(bucket: "4-15", band: "low", stages: [stage(.voiceBot, 4, every: 2), stage(.agentCall, 8, every: 2)]),
                Ladder(bucket: "4-15", stages: [stage(.voiceBot, 4, every: 1), stage(.agentCall, 8, every: 1)]),
                Ladder(bucket: "4-15", band: "high",
                       stages: [stage(.agentCall, 4, every: 1, attempts: 2), stage(.agentCall, 10, every: 1, attempts: 3)]),
                Ladder(bucket: "16-30", stages: [stage(.agentCall, 16, every: 1), stage(.agentCall, 23, every: 1, attempts: 2)]),
                Ladder(bucket: "16-30", band: "high", stages: [stage(.agentCall, 16, every: 1, attempts: 3)]),
                Ladder(bucket: "31-60", stages: [stage(.agentCall, 31, every: 1, attempts: 2), stage(.outsourcedCall, 46, every: 1, attempts: 2)]),
                Ladder(bucket: "61-90", stages: [stage(.outsourcedCall, 61, every: 1, attempts: 2), stage(.fieldVisit, 75, every: 7)]),
                Ladder(bucket: "90+", stages: [stage(.fieldVisit, 91, every: 14), stage(.legal, 120), stage(.outsourcedCall, 121, every: 3)]),
            ],
            promises: PromiseRules(graceDays: 1, maxPromiseDays: 14, keptPauseDays: 3, keptResetsEscalation: true),
            milestones: Milestones(bureauReportDay: 30, insuranceClaimDay: 90, writeOffDay: 180),
            earlyWarning: .standard,
            portfolio: .standard)
    }()
}
