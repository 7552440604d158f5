import LendingModel

/// Where one loan stands on the collections ladder. Exactly one stage is active: `stage` of the
/// ladder for (`bucket`, `band`). Stored by the orchestrator between runs (Codable).
public struct LadderState: Sendable, Hashable, Codable {
    /// Whether escalation runs, waits on a promise, or has ended in a write-off.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The ladder runs: the stage follows the schedule plus escalation.
        case active
        /// A promise to pay (or a kept promise's cool-down) holds the stage where it is.
        case paused
        /// Written off: the loan has left the ladder for good.
        case writtenOff = "written_off"
    }

    public var loanId: String
    public var status: Status
    public var bucket: String
    public var band: String
    /// The index of the active stage in the ladder of (`bucket`, `band`).
    public var stage: Int
    /// The business date the active stage was entered (its action is taken that day).
    public var stageEnteredOn: CalendarDay
    /// Stages added by broken promises in the current bucket (reset when the bucket changes).
    public var escalation: Int
    /// The first business date of this stay in collections (pre-due included).
    public var enteredOn: CalendarDay
    /// The open promise, if any.
    public var promise: PromiseToPay?
    /// While paused: the last day of the pause.
    public var pausedThrough: CalendarDay?
    public var brokenPromises: Int
    public var keptPromises: Int
    /// The loan's total repaid as of the last transition (the baseline of a new promise).
    public var totalPaidSeen: Money
    /// The business dates the milestones were reached (each once per loan).
    public var bureauReportedOn: CalendarDay?
    public var insuranceClaimedOn: CalendarDay?
    public var writtenOffOn: CalendarDay?

    public init(loanId: String, status: Status, bucket: String, band: String, stage: Int, stageEnteredOn: CalendarDay,
                escalation: Int = 0, enteredOn: CalendarDay, promise: PromiseToPay? = nil, pausedThrough: CalendarDay? = nil,
                brokenPromises: Int = 0, keptPromises: Int = 0, totalPaidSeen: Money = .zero, bureauReportedOn: CalendarDay? = nil,
                insuranceClaimedOn: CalendarDay? = nil, writtenOffOn: CalendarDay? = nil) {
        self.loanId = loanId
        self.status = status
        self.bucket = bucket
        self.band = band
        self.stage = stage
        self.stageEnteredOn = stageEnteredOn
        self.escalation = escalation
        self.enteredOn = enteredOn
        self.promise = promise
        self.pausedThrough = pausedThrough
        self.brokenPromises = brokenPromises
        self.keptPromises = keptPromises
        self.totalPaidSeen = totalPaidSeen
        self.bureauReportedOn = bureauReportedOn
        self.insuranceClaimedOn = insuranceClaimedOn
        self.writtenOffOn = writtenOffOn
    }
}

/// A promise to pay `amount` by `dueOn`, made on `madeOn` when the loan's total repaid was
/// `paidBefore`. It is kept once the total repaid has grown by `amount`.
public struct PromiseToPay: Sendable, Hashable, Codable {
    public var madeOn: CalendarDay
    public var dueOn: CalendarDay
    public var amount: Money
    public var paidBefore: Money

    public init(madeOn: CalendarDay, dueOn: CalendarDay, amount: Money, paidBefore: Money) {
        self.madeOn = madeOn
        self.dueOn = dueOn
        self.amount = amount
        self.paidBefore = paidBefore
    }
}

/// What a transition did, for the log (the orchestrator records these with the loan id).
public enum LadderEvent: Sendable, Hashable {
    /// The loan entered collections (pre-due or overdue) in `bucket`.
    case entered(bucket: String)
    case bucketChanged(from: String, to: String)
    /// The active stage changed (by schedule, a broken promise or a band change).
    case stageChanged(from: Int, to: Int)
    case promiseMade(dueOn: CalendarDay, amount: Money)
    /// A newer promise replaced an open one.
    case promiseReplaced
    case promiseKept
    /// A broken promise escalates the ladder one stage at once.
    case promiseBroken
    /// A pause ended and the ladder runs again.
    case resumed
    /// The loan is no longer overdue: it left collections (it may come back pre-due).
    case cured
    /// The loan is neither overdue nor close to a due date: it left the ladder.
    case left
    case bureauReportDue
    case insuranceClaimDue
    case writtenOff
}

/// The result of a transition: the new state (`nil` when the loan is not in collections) and
/// what happened.
public struct LadderTransition: Sendable, Hashable {
    public var state: LadderState?
    public var events: [LadderEvent]
}
