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
///
/// The limits are **per person**: with `contactKeys` (loan id → the key shared by every loan and
/// draw of one person), the cap, the quiet period and the opt-outs count the contacts of all of a
/// person's loans together. A recorded outcome is the outcome of the latest executed action of
/// its loan and action at most `minutesBetweenAttempts` before it that has no outcome yet; an
/// outcome without one (a call the dialer made off the plan, or after the plan cancelled it) is
/// a contact of its own, at its time, checked like the others.
public struct ContactLimitChecker: Sendable {
    public let strategy: CollectionStrategy

    public init(strategy: CollectionStrategy) { self.strategy = strategy }

    /// Every violation in the log, ordered by loan id then time.
    /// - Parameters:
    ///   - actions: the executed actions, in any order.
    ///   - outcomes: their outcomes (conversations start quiet periods).
    ///   - borrowers: each loan's offset and opt-outs (an opt-out here forbids every contact of the
    ///     loan, whenever it was made); a loan missing here is checked at the offset written in
    ///     its actions (`defaultUtcOffsetSeconds` for an outcome without an action) with no opt-outs.
    ///   - optOuts: opt-outs with the time they were recorded: each forbids the person's contacts
    ///     on its channel after that time, on all their loans.
    ///   - contactKeys: the person of each loan; a loan missing here is a person of its own.
    public func violations(actions: [PlannedAction], outcomes: [ContactOutcome], borrowers: [String: BorrowerContactRules],
                           optOuts: [OptOutRecord] = [], contactKeys: [String: String] = [:],
                           defaultUtcOffsetSeconds: Int = 28_800) -> [ContactViolation] {
        let limits = strategy.callLimits
        var isCall = Set<CollectionAction>()
        var channelOf: [CollectionAction: ContactChannel] = [:]
        for settings in strategy.actions {
            if settings.isCall { isCall.insert(settings.action) }
            channelOf[settings.action] = settings.channel
        }
        let conversationResults = Set(limits.conversationResults)
        let window = Int64(limits.windowDays) * 86_400
        let quiet = Int64(limits.quietDaysAfterConversation) * 86_400
        let start = strategy.contactHours.start.secondsOfDay, end = strategy.contactHours.end.secondsOfDay
        func person(_ loanId: String) -> String { contactKeys[loanId] ?? loanId }

        struct Slot: Hashable { var loan: String; var action: CollectionAction }
        struct Key: Hashable { var loan: String; var action: CollectionAction; var at: Instant }
        var executed: [Slot: [Instant]] = [:]
        var byPerson: [String: [PlannedAction]] = [:]
        for action in actions {
            executed[Slot(loan: action.loanId, action: action.action), default: []].append(action.scheduledAt)
            byPerson[person(action.loanId), default: []].append(action)
        }
        for slot in executed.keys { executed[slot]!.sort() }
        // An outcome is the outcome of the latest executed action of its loan and action at most
        // `minutesBetweenAttempts` before it that has none yet; otherwise a contact of its own.
        let tolerance = Int64(max(1, limits.minutesBetweenAttempts)) * 60
        var answered = Set<Key>()
        var conversations: [String: [Instant]] = [:]
        for outcome in outcomes.sorted(by: { $0.happenedAt < $1.happenedAt }) {
            if isCall.contains(outcome.action) && conversationResults.contains(outcome.result) {
                conversations[person(outcome.loanId), default: []].append(outcome.happenedAt)
            }
            let channel = channelOf[outcome.action] ?? .internal
            guard channel.isContact, !outcome.action.isMilestone else { continue }
            let times = executed[Slot(loan: outcome.loanId, action: outcome.action)] ?? []
            let match = times.last { time in
                time <= outcome.happenedAt && time.secondsSinceEpoch > outcome.happenedAt.secondsSinceEpoch - tolerance
                    && !answered.contains(Key(loan: outcome.loanId, action: outcome.action, at: time))
            }
            if let match {
                answered.insert(Key(loan: outcome.loanId, action: outcome.action, at: match))
                continue
            }
            // A contact the log does not have: it happened all the same.
            answered.insert(Key(loan: outcome.loanId, action: outcome.action, at: outcome.happenedAt))
            byPerson[person(outcome.loanId), default: []].append(
                PlannedAction(loanId: outcome.loanId, action: outcome.action, channel: channel, scheduledAt: outcome.happenedAt,
                              utcOffsetSeconds: borrowers[outcome.loanId]?.utcOffsetSeconds ?? defaultUtcOffsetSeconds, bucket: "",
                              reason: "recorded outcome"))
        }
        var optOutsByPerson: [String: [OptOutRecord]] = [:]
        for optOut in optOuts { optOutsByPerson[person(optOut.loanId), default: []].append(optOut) }

        var found: [ContactViolation] = []
        for key in byPerson.keys {
            let log = byPerson[key]!.sorted { ($0.scheduledAt, $0.loanId) < ($1.scheduledAt, $1.loanId) }
            let talks = conversations[key] ?? []
            let personOptOuts = optOutsByPerson[key] ?? []
            var milestones = Set<String>()
            var callTimes: [Int64] = []
            var windowStart = 0
            for entry in log {
                func report(_ kind: ContactViolation.Kind) {
                    found.append(ContactViolation(kind: kind, loanId: entry.loanId, action: entry.action, at: entry.scheduledAt))
                }
                let rules = borrowers[entry.loanId]
                if entry.action.isMilestone {
                    if !milestones.insert(entry.loanId + "\u{1F}" + entry.action.rawValue).inserted { report(.repeatedMilestone) }
                    continue
                }
                let offset = Int64(rules?.utcOffsetSeconds ?? entry.utcOffsetSeconds)
                var local = (entry.scheduledAt.secondsSinceEpoch + offset) % 86_400
                if local < 0 { local += 86_400 }
                if local < Int64(start) || local >= Int64(end) { report(.outsideContactHours) }
                if rules?.optOuts.blocks(entry.channel) == true || personOptOuts.contains(where: { $0.blocks(entry.channel, at: entry.scheduledAt) }) {
                    report(.optedOutChannel)
                }
                guard isCall.contains(entry.action) else { continue }
                // Calls in (t − window, t], this one included: the log is in time order, so the
                // window's first call only moves forward.
                let time = entry.scheduledAt.secondsSinceEpoch
                callTimes.append(time)
                while callTimes[windowStart] <= time - window { windowStart += 1 }
                if callTimes.count - windowStart > limits.maxAttempts { report(.callCapExceeded) }
                for conversation in talks
                where conversation < entry.scheduledAt && entry.scheduledAt.secondsSinceEpoch < conversation.secondsSinceEpoch + quiet {
                    report(.callInQuietPeriod)
                    break
                }
            }
        }
        return found.sorted { ($0.loanId, $0.at, $0.kind.rawValue) < ($1.loanId, $1.at, $1.kind.rawValue) }
    }
}
