import LendingModel

/// A broken contact rule found in an action log.
public struct ContactViolation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A contact outside contact hours in the borrower's local time.
        case outsideContactHours = "outside_contact_hours"
        /// A call that made more than `maxAttempts` calls in a rolling window.
        case callCapExceeded = "call_cap_exceeded"
        /// A call within the quiet period after a conversation.
        case callInQuietPeriod = "call_in_quiet_period"
        /// A contact on a channel the borrower opted out of.
        case optedOutChannel = "opted_out_channel"
        /// A milestone (bureau report, insurance claim, write-off) booked more than once.
        case repeatedMilestone = "repeated_milestone"
    }

    public var kind: Kind
    public var loanId: String
    public var action: CollectionAction
    public var at: Instant

    public var description: String { "\(kind.rawValue) \(loanId) \(action) at \(at)" }
}

/// The contact rules of a borrower that the replay checker needs.
public struct BorrowerContactRules: Sendable, Hashable {
    public var utcOffsetSeconds: Int
    public var optOuts: OptOuts

    public init(utcOffsetSeconds: Int, optOuts: OptOuts = .none) {
        self.utcOffsetSeconds = utcOffsetSeconds
        self.optOuts = optOuts
    }
}

/// Replays an action log against the contact rules and reports every violation.
///
/// Written apart from the planner (it sorts and sweeps the whole log instead of asking the
/// planner's history), so that a test that replays the planner's output checks it independently.
public struct ContactLimitChecker: Sendable {
    public let strategy: CollectionStrategy

    public init(strategy: CollectionStrategy) { self.strategy = strategy }

    /// Every violation in the log, ordered by loan id then time.
    /// - Parameters:
    ///   - actions: the executed actions, in any order.
    ///   - outcomes: their outcomes (conversations start quiet periods).
    ///   - borrowers: each loan's offset and opt-outs; a loan missing here is checked at the
    ///     offset written in its actions with no opt-outs.
    public func violations(actions: [PlannedAction], outcomes: [ContactOutcome],
                           borrowers: [String: BorrowerContactRules]) -> [ContactViolation] {
        let limits = strategy.callLimits
        var isCall = Set<CollectionAction>()
        for settings in strategy.actions where settings.isCall { isCall.insert(settings.action) }
        let conversationResults = Set(limits.conversationResults)
        let window = Int64(limits.windowDays) * 86_400
        let quiet = Int64(limits.quietDaysAfterConversation) * 86_400
        let start = strategy.contactHours.start.secondsOfDay, end = strategy.contactHours.end.secondsOfDay

        var byLoan: [String: [PlannedAction]] = [:]
        for action in actions { byLoan[action.loanId, default: []].append(action) }
        var conversations: [String: [Instant]] = [:]
        for outcome in outcomes where isCall.contains(outcome.action) && conversationResults.contains(outcome.result) {
            conversations[outcome.loanId, default: []].append(outcome.happenedAt)
        }

        var found: [ContactViolation] = []
        for loanId in byLoan.keys.sorted() {
            let log = byLoan[loanId]!.sorted { $0.scheduledAt < $1.scheduledAt }
            let rules = borrowers[loanId]
            var milestones = Set<CollectionAction>()
            var callTimes: [Int64] = []
            var windowStart = 0
            for entry in log {
                func report(_ kind: ContactViolation.Kind) {
                    found.append(ContactViolation(kind: kind, loanId: loanId, action: entry.action, at: entry.scheduledAt))
                }
                if entry.action.isMilestone {
                    if !milestones.insert(entry.action).inserted { report(.repeatedMilestone) }
                    continue
                }
                let offset = Int64(rules?.utcOffsetSeconds ?? entry.utcOffsetSeconds)
                var local = (entry.scheduledAt.secondsSinceEpoch + offset) % 86_400
                if local < 0 { local += 86_400 }
                if local < Int64(start) || local >= Int64(end) { report(.outsideContactHours) }
                if let optOuts = rules?.optOuts, optOuts.blocks(entry.channel) { report(.optedOutChannel) }
                guard isCall.contains(entry.action) else { continue }
                // Calls in (t − window, t], this one included: the log is in time order, so the
                // window's first call only moves forward.
                let time = entry.scheduledAt.secondsSinceEpoch
                callTimes.append(time)
                while callTimes[windowStart] <= time - window { windowStart += 1 }
                if callTimes.count - windowStart > limits.maxAttempts { report(.callCapExceeded) }
                for conversation in conversations[loanId] ?? []
                where conversation < entry.scheduledAt && entry.scheduledAt.secondsSinceEpoch < conversation.secondsSinceEpoch + quiet {
                    report(.callInQuietPeriod)
                    break
                }
            }
        }
        return found
    }
}
