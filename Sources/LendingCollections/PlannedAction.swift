import LendingModel

/// One row of ACTIONS.csv: `loan_id, action, channel, scheduled_at, bucket, reason`. Also the
/// record of an executed action in the action log that the replay checker reads.
public struct PlannedAction: Sendable, Hashable {
    public var loanId: String
    public var action: CollectionAction
    public var channel: ContactChannel
    public var scheduledAt: Instant
    /// The borrower's UTC offset: `scheduled_at` is written in the borrower's local time.
    public var utcOffsetSeconds: Int
    public var bucket: String
    /// Why: the stage and its rule, and any change made to respect a limit.
    public var reason: String

    public init(loanId: String, action: CollectionAction, channel: ContactChannel, scheduledAt: Instant,
                utcOffsetSeconds: Int, bucket: String, reason: String) {
        self.loanId = loanId
        self.action = action
        self.channel = channel
        self.scheduledAt = scheduledAt
        self.utcOffsetSeconds = utcOffsetSeconds
        self.bucket = bucket
        self.reason = reason
    }

    /// The `scheduled_at` column: ISO 8601 in the borrower's offset (`2026-11-21T09:30:00+08:00`).
    public var scheduledAtText: String { isoText(scheduledAt, offsetSeconds: utcOffsetSeconds) }

    /// The ACTIONS.csv header, in column order.
    public static let csvHeader = ["loan_id", "action", "channel", "scheduled_at", "bucket", "reason"]

    /// The fields of this row in ``csvHeader`` order (the caller's CSV writer quotes them).
    public var csvFields: [String] {
        [loanId, action.rawValue, channel.rawValue, scheduledAtText, bucket, reason]
    }
}

/// One row of OUTCOMES.csv: `loan_id, action, happened_at, result, promise_date, promise_amount`.
public struct ContactOutcome: Sendable, Hashable {
    public var loanId: String
    public var action: CollectionAction
    public var happenedAt: Instant
    public var result: ContactResult
    public var promiseDate: CalendarDay?
    public var promiseAmount: Money?

    public init(loanId: String, action: CollectionAction, happenedAt: Instant, result: ContactResult,
                promiseDate: CalendarDay? = nil, promiseAmount: Money? = nil) {
        self.loanId = loanId
        self.action = action
        self.happenedAt = happenedAt
        self.result = result
        self.promiseDate = promiseDate
        self.promiseAmount = promiseAmount
    }

    /// The OUTCOMES.csv header, in column order.
    public static let csvHeader = ["loan_id", "action", "happened_at", "result", "promise_date", "promise_amount"]
}

/// An action the ladder called for that the planner did not schedule, with why (for the log).
public struct SkippedAction: Sendable, Hashable {
    public var loanId: String
    public var action: CollectionAction
    public var reason: String

    public init(loanId: String, action: CollectionAction, reason: String) {
        self.loanId = loanId
        self.action = action
        self.reason = reason
    }
}

/// The planner's answer for one run.
public struct CollectionPlan: Sendable, Hashable {
    /// The actions to schedule, by bucket (strategy order), then riskiest loan first (lowest
    /// score; ties by days past due, highest first, then loan id), then time.
    public var actions: [PlannedAction]
    /// Actions called for but not scheduled (opt-out with no permitted fallback, a call limit,
    /// no time left in the plan's 24 hours).
    public var skipped: [SkippedAction]
}
