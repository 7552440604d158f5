import LendingModel

/// Why a call may not be made at a given time, and from when it may be.
public enum CallBlock: Sendable, Hashable {
    /// The rolling attempt cap is reached; the next call is allowed from `until`.
    case attemptCap(until: Instant)
    /// A conversation started the quiet period; calls are allowed from `until`.
    case quietPeriod(until: Instant)
}

/// What the contact limits need to know about past contacts, per loan: the times of call
/// attempts (executed, or planned and not cancelled), the latest conversation, and the
/// milestones already booked.
///
/// The orchestrator builds it from the stored action log and outcomes (the last
/// `windowDays` of calls, the latest conversation, every milestone), and the executor asks
/// ``callBlock(loanId:at:)`` again just before dialling, because a conversation earlier the
/// same day forbids the attempts planned after it.
public struct ContactHistory: Sendable {
    struct Loan: Sendable {
        /// Call attempt times, ascending.
        var calls: [Instant] = []
        var lastConversation: Instant?
        /// Bit `ordinal` set when that milestone action was booked.
        var milestones: UInt16 = 0
    }

    private var loans: [String: Loan] = [:]
    private let isCall: [Bool]
    private let conversationResults: Set<ContactResult>
    let windowSeconds: Int64
    let quietSeconds: Int64
    let maxAttempts: Int

    /// An empty history that classifies actions and results by `strategy`.
    public init(strategy: CollectionStrategy) {
        var isCall = [Bool](repeating: false, count: CollectionAction.allCases.count)
        for settings in strategy.actions { isCall[settings.action.ordinal] = settings.isCall }
        self.isCall = isCall
        conversationResults = Set(strategy.callLimits.conversationResults)
        windowSeconds = Int64(strategy.callLimits.windowDays) * 86_400
        quietSeconds = Int64(strategy.callLimits.quietDaysAfterConversation) * 86_400
        maxAttempts = strategy.callLimits.maxAttempts
    }

    /// A history built from an action log and outcomes.
    public init(strategy: CollectionStrategy, actions: some Sequence<PlannedAction>, outcomes: some Sequence<ContactOutcome>) {
        self.init(strategy: strategy)
        for action in actions { record(action) }
        for outcome in outcomes { record(outcome) }
    }

    /// Records an action that was executed (or planned and not cancelled).
    public mutating func record(_ action: PlannedAction) {
        if isCall[action.action.ordinal] {
            loans[action.loanId, default: Loan()].insertCall(action.scheduledAt)
        } else if action.action.isMilestone {
            loans[action.loanId, default: Loan()].milestones |= 1 << UInt16(action.action.ordinal)
        }
    }

    /// Records an outcome: a call with a conversation result starts the quiet period.
    public mutating func record(_ outcome: ContactOutcome) {
        guard isConversation(outcome) else { return }
        let previous = loans[outcome.loanId]?.lastConversation
        if previous.map({ $0 < outcome.happenedAt }) ?? true {
            loans[outcome.loanId, default: Loan()].lastConversation = outcome.happenedAt
        }
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
        for index in loans.values.indices {
            guard let first = loans.values[index].calls.first, first <= cutoff else { continue }
            loans.values[index].calls.removeAll { $0 <= cutoff }
        }
    }

    /// Call attempt times of a loan, ascending.
    public func calls(of loanId: String) -> [Instant] { loans[loanId]?.calls ?? [] }

    /// The latest conversation with the borrower of a loan.
    public func lastConversation(of loanId: String) -> Instant? { loans[loanId]?.lastConversation }

    /// Whether a milestone action was already booked for the loan.
    public func hasBooked(_ milestone: CollectionAction, loanId: String) -> Bool {
        guard let loan = loans[loanId] else { return false }
        return loan.milestones & (1 << UInt16(milestone.ordinal)) != 0
    }

    /// Why a call at `time` would break a limit, or `nil` if it is allowed: the quiet period
    /// (`c < time < c + quiet` for the latest conversation `c`) or the attempt cap (the calls in
    /// (time − window, time], this one included, would exceed `maxAttempts`).
    public func callBlock(loanId: String, at time: Instant) -> CallBlock? {
        callBlock(calls: loans[loanId]?.calls ?? [], extra: [], lastConversation: loans[loanId]?.lastConversation, at: time)
    }

    /// The same check with calls planned in this run (`extra`, ascending) counted too.
    func callBlock(calls: [Instant], extra: [Instant], lastConversation: Instant?, at time: Instant) -> CallBlock? {
        if let conversation = lastConversation, conversation < time {
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

    func loan(_ loanId: String) -> Loan? { loans[loanId] }
}

extension ContactHistory.Loan {
    mutating func insertCall(_ time: Instant) {
        if let last = calls.last, last > time {
            let index = calls.firstIndex { $0 > time } ?? calls.count
            calls.insert(time, at: index)
        } else {
            calls.append(time)
        }
    }
}
