import LendingCollections
import LendingModel
import LendingStorePorts

/// The post-loan tables: runs, ladder states, the action log with its cancellations, outcomes and
/// opt-outs, the post-loan log, early warnings with line levels and usage, month-end snapshots.
struct CollectionsTables: Sendable {
    /// What identifies an action in the log, and an outcome (loan, action, time).
    struct ActionKey: Hashable, Sendable {
        var loanID: String
        var action: CollectionAction
        var at: Instant
    }

    struct LoggedAction: Sendable {
        var action: PlannedAction
        var plannedOn: CalendarDay
        var key: ActionKey { ActionKey(loanID: action.loanId, action: action.action, at: action.scheduledAt) }
    }

    struct RecordedOutcome: Sendable {
        var stored: StoredOutcome
        var appliedOn: CalendarDay?
    }

    struct LineLevel: Sendable {
        var level: WarningLevel
        var day: CalendarDay
    }

    struct LineUsage: Sendable {
        var drawn: Money
        var limit: Money
    }

    struct SnapshotKey: Hashable, Sendable {
        var month: YearMonth
        var loanID: String
    }

    var runs: [CalendarDay: PostLoanRunRecord] = [:]
    var ladders: [String: StoredLadder] = [:]
    /// The action log, in the order stored.
    var actions: [LoggedAction] = []
    var actionKeys: Set<ActionKey> = []
    /// Positions in ``actions`` of each loan's actions, and in ``outcomes`` of its outcomes.
    var actionsByLoan: [String: [Int]] = [:]
    var outcomesByLoan: [String: [Int]] = [:]
    /// Cancelled actions and why (the first reason given).
    var cancellations: [ActionKey: String] = [:]
    /// Outcomes, in the order stored.
    var outcomes: [RecordedOutcome] = []
    var outcomeIndex: [ActionKey: Int] = [:]
    /// Opt-outs by loan: channel (`all` or a channel name) and since when.
    var optOuts: [String: [String: Instant]] = [:]
    var events: [PostLoanEvent] = []
    var warnings: [StoredWarning] = []
    var lineLevels: [String: LineLevel] = [:]
    var lineUsage: [String: [CalendarDay: LineUsage]] = [:]
    var snapshots: [SnapshotKey: MonthlyLoanSnapshot] = [:]
    /// Months that have at least one snapshot.
    var snapshotMonths: Set<YearMonth> = []

    /// Executed actions (not cancelled) that pass `include`, in time order (ties in the order stored).
    func executed(where include: (PlannedAction) -> Bool) -> [PlannedAction] {
        actions.enumerated()
            .filter { cancellations[$0.element.key] == nil && include($0.element.action) }
            .sorted { ($0.element.action.scheduledAt, $0.offset) < ($1.element.action.scheduledAt, $1.offset) }
            .map(\.element.action)
    }

    /// Executed actions of `loans` scheduled in [from, to), in time order (ties in the order stored).
    func executed(of loans: [String], from: Instant, to: Instant) -> [PlannedAction] {
        Set(loans).flatMap { actionsByLoan[$0] ?? [] }
            .filter { index in
                let logged = actions[index]
                return logged.action.scheduledAt >= from && logged.action.scheduledAt < to && cancellations[logged.key] == nil
            }
            .sorted { (actions[$0].action.scheduledAt, $0) < (actions[$1].action.scheduledAt, $1) }
            .map { actions[$0].action }
    }

    /// Outcomes of `loans` that happened in [from, to), by time (ties in the order stored).
    func outcomes(of loans: [String], from: Instant, to: Instant) -> [ContactOutcome] {
        Set(loans).flatMap { outcomesByLoan[$0] ?? [] }
            .filter { outcomes[$0].stored.outcome.happenedAt >= from && outcomes[$0].stored.outcome.happenedAt < to }
            .sorted { (outcomes[$0].stored.outcome.happenedAt, $0) < (outcomes[$1].stored.outcome.happenedAt, $1) }
            .map { outcomes[$0].stored.outcome }
    }

    /// Outcomes that pass `include`, by the time they happened (ties in the order stored).
    func outcomes(where include: (RecordedOutcome) -> Bool) -> [ContactOutcome] {
        outcomes.enumerated()
            .filter { include($0.element) }
            .sorted { ($0.element.stored.outcome.happenedAt, $0.offset) < ($1.element.stored.outcome.happenedAt, $1.offset) }
            .map(\.element.stored.outcome)
    }
}
