import LendingModel

/// Why a call may not be made at a given time, and from when it may be.
public enum CallBlock: Sendable, Hashable {
    /// The rolling attempt cap is reached; the next call is allowed from `until`.
    case attemptCap(until: Instant)
    /// A conversation started the quiet period; calls are allowed from `until`.
    case quietPeriod(until: Instant)
}

/// Why a contact at a given time breaks a contact rule (for a dialer that asks before it dials,
/// for an outcome that is recorded, and for a planned action cancelled by a re-plan). The
/// description names the rule only, never the borrower.
public enum ContactRefusal: Sendable, Hashable, CustomStringConvertible {
    /// Outside contact hours in the borrower's local time.
    case outsideContactHours
    /// The person asked for no contact on the channel (or none at all) before the contact.
    case optedOut(ContactChannel)
    /// Inside the quiet period after a conversation with the person; calls are allowed from `until`.
    case quietPeriod(until: Instant)
    /// The person's calls in the rolling window would exceed the cap; the next call is allowed from `until`.
    case callCap(until: Instant)

    /// The stable code: `outcome.outside_hours`, `outcome.opted_out`, `outcome.quiet_period`, `outcome.call_cap`.
    public var code: String {
        switch self {
        case .outsideContactHours: "outcome.outside_hours"
        case .optedOut: "outcome.opted_out"
        case .quietPeriod: "outcome.quiet_period"
        case .callCap: "outcome.call_cap"
        }
    }

    public var description: String {
        switch self {
        case .outsideContactHours: "outside contact hours"
        case .optedOut(let channel): "the borrower opted out of \(channel)"
        case .quietPeriod(let until): "inside the quiet period after a conversation (calls allowed from \(until))"
        case .callCap(let until): "the call cap is reached for the person (calls allowed from \(until))"
        }
    }
}

/// An opt-out as recorded: the channel (`nil`: every contact) and when the borrower asked.
/// It forbids contacts after `since`, on every loan and draw of the person.
public struct OptOutRecord: Sendable, Hashable {
    public var loanId: String
    /// `nil`: every contact channel.
    public var channel: ContactChannel?
    public var since: Instant

    public init(loanId: String, channel: ContactChannel?, since: Instant) {
        self.loanId = loanId
        self.channel = channel
        self.since = since
    }

    /// Whether this opt-out forbids a contact on `channel` at `time`.
    public func blocks(_ channel: ContactChannel, at time: Instant) -> Bool {
        channel.isContact && since < time && (self.channel == nil || self.channel == channel)
    }
}

/// What the contact limits need to know about past contacts, **per person**: the times of call
/// attempts (executed, or planned and not cancelled, and calls whose outcome was recorded
/// without a planned action), the conversations, the opt-outs, and, per loan, the milestones
/// already booked.
///
/// A person is a contact key (`contactKeys`: loan id → key, the same key for every loan and draw
/// of one person; the orchestrator derives it from the keyed hash of the ID number). A loan
/// missing from the map is a person of its own.
///
/// The orchestrator builds it from the stored action log and outcomes (the last `windowDays` of
/// calls, the conversations of the last `quietDaysAfterConversation`, every milestone), and the
/// executor asks ``callBlock(loanId:at:)`` (or ``refusal(loanId:action:channel:at:utcOffsetSeconds:)``)
/// again just before dialling, because a conversation earlier the same day forbids the
/// attempts planned after it.
public struct ContactHistory: Sendable {
    struct Person: Sendable {
        /// Call attempt times, ascending.
        var calls: [Instant] = []
        /// Conversation times, ascending.
        var conversations: [Instant] = []
        var optOuts: [OptOutRecord] = []
    }

    struct AttemptKey: Hashable, Sendable {
        var loanId: String
        var action: CollectionAction
        var at: Instant
    }

    struct LoanAction: Hashable, Sendable {
        var loanId: String
        var action: CollectionAction
    }

    private var persons: [String: Person] = [:]
    private let contactKeys: [String: String]
    /// Bit `ordinal` set when that milestone action was booked, by loan.
    private var milestones: [String: UInt16] = [:]
    /// The call attempts, by loan and action, ascending (an outcome is matched to one of them).
    private var attempts: [LoanAction: [Instant]] = [:]
    /// The attempts an outcome was matched to.
    private var answered: Set<AttemptKey> = []
    /// An outcome at most this long after an unanswered attempt of its loan and action is that
    /// attempt's outcome (`minutesBetweenAttempts`, at least a minute).
    let matchSeconds: Int64
    private let isCall: [Bool]
    private let conversationResults: Set<ContactResult>
    let windowSeconds: Int64
    let quietSeconds: Int64
    let maxAttempts: Int
    let contactStart: Int
    let contactEnd: Int

    /// An empty history that classifies actions and results by `strategy`, with the person of
    /// each loan (`contactKeys`; a loan missing there is a person of its own).
    public init(strategy: CollectionStrategy, contactKeys: [String: String] = [:]) {
        var isCall = [Bool](repeating: false, count: CollectionAction.allCases.count)
        for settings in strategy.actions { isCall[settings.action.ordinal] = settings.isCall }
        self.isCall = isCall
        self.contactKeys = contactKeys
        conversationResults = Set(strategy.callLimits.conversationResults)
        windowSeconds = Int64(strategy.callLimits.windowDays) * 86_400
        quietSeconds = Int64(strategy.callLimits.quietDaysAfterConversation) * 86_400
        maxAttempts = strategy.callLimits.maxAttempts
        contactStart = strategy.contactHours.start.secondsOfDay
        contactEnd = strategy.contactHours.end.secondsOfDay
        matchSeconds = Int64(max(1, strategy.callLimits.minutesBetweenAttempts)) * 60
    }

    /// A history built from an action log and outcomes (actions first: an outcome of a call is
    /// the outcome of the latest unanswered attempt of its loan and action at most
    /// `minutesBetweenAttempts` before it; without one it counts as an attempt of its own).
    public init(strategy: CollectionStrategy, actions: some Sequence<PlannedAction>, outcomes: some Sequence<ContactOutcome>,
                optOuts: some Sequence<OptOutRecord> = [OptOutRecord](), contactKeys: [String: String] = [:]) {
        self.init(strategy: strategy, contactKeys: contactKeys)
        for action in actions { record(action) }
        for outcome in outcomes { record(outcome) }
        for optOut in optOuts { record(optOut) }
    }

    /// The person of a loan.
    public func contactKey(of loanId: String) -> String { contactKeys[loanId] ?? loanId }

    /// Records an action that was executed (or planned and not cancelled).
    public mutating func record(_ action: PlannedAction) {
        if isCall[action.action.ordinal] {
            let slot = LoanAction(loanId: action.loanId, action: action.action)
            guard !(attempts[slot]?.contains(action.scheduledAt) ?? false) else { return }
            attempts[slot, default: []].insertSorted(action.scheduledAt)
            persons[contactKey(of: action.loanId), default: Person()].calls.insertSorted(action.scheduledAt)
        } else if action.action.isMilestone {
            milestones[action.loanId, default: 0] |= 1 << UInt16(action.action.ordinal)
        }
    }

    /// Takes a call out of the history (a planned call that is cancelled).
    public mutating func remove(_ action: PlannedAction) {
        let slot = LoanAction(loanId: action.loanId, action: action.action)
        guard isCall[action.action.ordinal], let index = attempts[slot]?.firstIndex(of: action.scheduledAt) else { return }
        attempts[slot]!.remove(at: index)
        let key = contactKey(of: action.loanId)
        if let call = persons[key]?.calls.firstIndex(of: action.scheduledAt) { persons[key]!.calls.remove(at: call) }
    }

    /// Records an outcome. A call's outcome is matched to its attempt (the latest unanswered
    /// attempt of the loan and action at most `minutesBetweenAttempts` before it); an outcome
    /// with none is a call of its own, an attempt at its time. A call with a conversation result
    /// starts the quiet period.
    public mutating func record(_ outcome: ContactOutcome) {
        guard isCall[outcome.action.ordinal] else { return }
        let key = contactKey(of: outcome.loanId)
        if let attempt = attempt(of: outcome) {
            answered.insert(AttemptKey(loanId: outcome.loanId, action: outcome.action, at: attempt))
        } else {
            attempts[LoanAction(loanId: outcome.loanId, action: outcome.action), default: []].insertSorted(outcome.happenedAt)
            answered.insert(AttemptKey(loanId: outcome.loanId, action: outcome.action, at: outcome.happenedAt))
            persons[key, default: Person()].calls.insertSorted(outcome.happenedAt)
        }
        if conversationResults.contains(outcome.result) {
            persons[key, default: Person()].conversations.insertSorted(outcome.happenedAt)
        }
    }

    /// The attempt an outcome of a call would be matched to: the latest attempt of its loan and
    /// action at or before it, less than `minutesBetweenAttempts` before, without an outcome yet.
    public func attempt(of outcome: ContactOutcome) -> Instant? {
        guard let times = attempts[LoanAction(loanId: outcome.loanId, action: outcome.action)] else { return nil }
        let low = outcome.happenedAt.adding(seconds: -matchSeconds)
        for time in times.reversed() where time <= outcome.happenedAt {
            guard time > low else { return nil }
            if !answered.contains(AttemptKey(loanId: outcome.loanId, action: outcome.action, at: time)) { return time }
        }
        return nil
    }

    /// Whether the attempt of a planned call has an outcome recorded (it was made).
    public func isAnswered(_ action: PlannedAction) -> Bool {
        answered.contains(AttemptKey(loanId: action.loanId, action: action.action, at: action.scheduledAt))
    }

    /// Records an opt-out: contacts of the person on the channel after `since` are refused.
    public mutating func record(_ optOut: OptOutRecord) {
        persons[contactKey(of: optOut.loanId), default: Person()].optOuts.append(optOut)
    }

    /// Whether an outcome is a conversation: a call whose result is in
    /// `callLimits.conversationResults`.
    public func isConversation(_ outcome: ContactOutcome) -> Bool {
        isCall[outcome.action.ordinal] && conversationResults.contains(outcome.result)
    }

    /// Whether `action` is a call under the strategy.
    public func isCall(_ action: CollectionAction) -> Bool { isCall[action.ordinal] }

    /// Drops call times that no window ending at or after `instant` can see, to bound memory.
    public mutating func forgetCalls(before instant: Instant) {
        let cutoff = instant.adding(seconds: -windowSeconds)
        for index in persons.values.indices {
            guard let first = persons.values[index].calls.first, first <= cutoff else { continue }
            persons.values[index].calls.removeAll { $0 <= cutoff }
        }
    }

    /// Call attempt times of the person of a loan (all their loans and draws), ascending.
    public func calls(of loanId: String) -> [Instant] { persons[contactKey(of: loanId)]?.calls ?? [] }

    /// The latest conversation with the person of a loan.
    public func lastConversation(of loanId: String) -> Instant? { persons[contactKey(of: loanId)]?.conversations.last }

    /// Whether a milestone action was already booked for the loan.
    public func hasBooked(_ milestone: CollectionAction, loanId: String) -> Bool {
        guard let booked = milestones[loanId] else { return false }
        return booked & (1 << UInt16(milestone.ordinal)) != 0
    }

    /// Whether a call attempt of the loan at `time` is already in the history.
    public func hasAttempt(loanId: String, action: CollectionAction, at time: Instant) -> Bool {
        attempts[LoanAction(loanId: loanId, action: action)]?.contains(time) ?? false
    }

    /// Why one more call to the person of the loan at `time` would break a limit, or `nil` if
    /// it is allowed: the quiet period (`c < time < c + quiet` for a conversation `c`) or the
    /// attempt cap (the calls in (time − window, time], this one included, would exceed
    /// `maxAttempts`).
    public func callBlock(loanId: String, at time: Instant) -> CallBlock? {
        let person = persons[contactKey(of: loanId)]
        return callBlock(calls: person?.calls ?? [], extra: [], conversations: person?.conversations ?? [], at: time)
    }

    /// Why a contact (`action` on `channel`) with the borrower of `loanId` at `time` breaks a
    /// contact rule, or `nil`: contact hours at `utcOffsetSeconds`, the person's opt-outs
    /// recorded before `time`, and for a call the quiet period and the cap. For a call, the
    /// attempt an outcome at `time` would be matched to (``attempt(of:)``: the planned call
    /// itself, or the one the outcome reports) is the call whose place in the cap is checked,
    /// counted once; without one, the call at `time` is one more. Internal actions are never refused.
    public func refusal(loanId: String, action: CollectionAction, channel: ContactChannel, at time: Instant,
                        utcOffsetSeconds: Int) -> ContactRefusal? {
        guard channel.isContact, !action.isMilestone else { return nil }
        let second = localSecondOfDay(time, offsetSeconds: utcOffsetSeconds)
        if second < contactStart || second >= contactEnd { return .outsideContactHours }
        let person = persons[contactKey(of: loanId)]
        if let person, person.optOuts.contains(where: { $0.blocks(channel, at: time) }) { return .optedOut(channel) }
        guard isCall[action.ordinal] else { return nil }
        var calls = person?.calls ?? []
        var at = time
        if let attempt = attempt(of: ContactOutcome(loanId: loanId, action: action, happenedAt: time, result: .noAnswer)),
           let index = calls.firstIndex(of: attempt) {
            calls.remove(at: index)
            at = attempt
        }
        if case .quietPeriod(let until)? = callBlock(calls: [], extra: [], conversations: person?.conversations ?? [], at: time) {
            return .quietPeriod(until: until)
        }
        if case .attemptCap(let until)? = callBlock(calls: calls, extra: [], conversations: [], at: at) { return .callCap(until: until) }
        return nil
    }

    /// The same check with calls planned in this run (`extra`) counted too. The quiet period is
    /// that of the latest conversation before `time`.
    func callBlock(calls: [Instant], extra: [Instant], conversations: [Instant], at time: Instant) -> CallBlock? {
        if let conversation = conversations.last(where: { $0 < time }) {
            let end = conversation.adding(seconds: quietSeconds)
            if time < end { return .quietPeriod(until: end) }
        }
        let low = time.adding(seconds: -windowSeconds)
        var inWindow: [Instant] = []
        for call in calls where call > low && call <= time { inWindow.append(call) }
        for call in extra where call > low && call <= time { inWindow.append(call) }
        guard inWindow.count >= maxAttempts else { return nil }
        inWindow.sort()
        // The call that must leave the window for one more to fit.
        return .attemptCap(until: inWindow[inWindow.count - maxAttempts].adding(seconds: windowSeconds))
    }

    /// The calls and conversations of the person of a loan (for the planner).
    func person(of loanId: String) -> (calls: [Instant], conversations: [Instant]) {
        let person = persons[contactKey(of: loanId)]
        return (person?.calls ?? [], person?.conversations ?? [])
    }
}

extension Array where Element == Instant {
    mutating func insertSorted(_ time: Instant) {
        if let last = last, last > time {
            let index = firstIndex { $0 > time } ?? count
            insert(time, at: index)
        } else {
            append(time)
        }
    }
}
