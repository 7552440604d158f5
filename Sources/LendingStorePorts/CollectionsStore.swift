import LendingCollections
import LendingModel
import LendingServicing

/// The post-loan side of storage: ladder states, the action log, outcomes and opt-outs, the
/// post-loan log, early warnings, month-end snapshots and the record of each day's run.
/// LendingStore implements it with SQLite, in the same database and transactions as servicing,
/// so a day's write-offs, ladder states and actions are stored together or not at all.
public protocol CollectionsStore: ServicingStore {
    /// Runs `body` in one write transaction; a throw rolls everything back.
    func withCollectionsTransaction<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T
    /// Runs `body` on a consistent read-only snapshot.
    func readCollections<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T
}

/// What post-loan reads and writes inside one transaction (servicing's operations included).
public protocol CollectionsTransaction: ServicingTransaction {
    // MARK: Runs

    /// The record of the post-loan run of `day`, if it ran.
    func postLoanRun(on day: CalendarDay) throws -> PostLoanRunRecord?
    func insert(run: PostLoanRunRecord) throws
    /// The latest day whose post-loan run finished.
    func lastPostLoanRun() throws -> CalendarDay?

    // MARK: Loans

    /// Loans written off (their states), for month-end snapshots.
    func writtenOffLoans() throws -> [LoanState]
    /// Every credit line.
    func allLines() throws -> [StoredLine]
    /// Loans paid out (active, paid off or written off) and their principal.
    func paidOutTotals() throws -> (loans: Int, principal: Money)

    // MARK: Ladder

    /// Every stored ladder state that is not written off, by loan id.
    func openLadders() throws -> [String: StoredLadder]
    /// Inserts or replaces ladder states.
    func save(ladders: [StoredLadder]) throws
    func deleteLadders(loanIDs: [String]) throws

    // MARK: Action log

    /// Inserts planned actions; an action already stored (same loan, action and time) is kept.
    /// - Returns: how many were new.
    @discardableResult
    func insert(actions: [PlannedAction], plannedOn day: CalendarDay) throws -> Int
    /// Records planned actions that were not carried out (the executor's last check before a
    /// call); they stay in the plan but leave the log of executed actions.
    func cancel(_ actions: [(loanID: String, action: CollectionAction, scheduledAt: Instant)], reason: String) throws
    /// Executed actions (not cancelled) scheduled in [from, to), in time order.
    func actions(scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction]
    /// Actions planned on a business date (cancelled ones included), in plan order.
    func actions(plannedOn day: CalendarDay) throws -> [PlannedAction]
    /// Every milestone action booked (bureau report, insurance claim, write-off).
    func milestoneActions() throws -> [PlannedAction]
    /// Executed contact actions (milestones apart) scheduled in [from, to), counted by loan.
    func contactCounts(from: Instant, to: Instant) throws -> [String: Int]
    /// Every executed action (not cancelled), in time order (the report, the replay checker).
    func allActions() throws -> [PlannedAction]
    /// Executed actions (not cancelled) of `loanIDs` scheduled in [from, to), in time order.
    func actions(loanIDs: [String], scheduledFrom from: Instant, to: Instant) throws -> [PlannedAction]
    /// The cancelled actions among those planned on a business date, with the reason given.
    func cancelledActions(plannedOn day: CalendarDay) throws -> [CancelledAction]

    // MARK: Outcomes

    /// The stored outcome of (loan, action, happened at), if any.
    func outcome(loanID: String, action: CollectionAction, happenedAt: Instant) throws -> StoredOutcome?
    func insert(outcome: StoredOutcome) throws
    /// Outcomes not yet taken by a post-loan run that happened before `before`.
    func unappliedOutcomes(before: Instant) throws -> [ContactOutcome]
    /// Marks those outcomes taken by the run of `day`.
    func markOutcomesApplied(before: Instant, on day: CalendarDay) throws
    /// Outcomes that happened in [from, to).
    func outcomes(from: Instant, to: Instant) throws -> [ContactOutcome]
    /// Every outcome (the report).
    func allOutcomes() throws -> [ContactOutcome]
    /// Opt-outs by loan.
    func optOuts() throws -> [String: OptOuts]
    /// Outcomes of `loanIDs` that happened in [from, to), in time order.
    func outcomes(loanIDs: [String], from: Instant, to: Instant) throws -> [ContactOutcome]
    /// Opt-outs with the time each was recorded: of `loanIDs`, or every one when `nil`.
    func optOutRecords(loanIDs: [String]?) throws -> [OptOutRecord]

    // MARK: Persons

    /// The contact key of every stored loan that shares a person with one of `loanIDs` (those
    /// included): the same key for every loan and draw of one person, across applications. It
    /// is `p:` and the hex of the person key of the loan's application (the keyed hash of the ID
    /// number), or `a:` and the application id when the application is not stored. It is for
    /// grouping only: never log it or show it.
    func contactKeys(sharingPersonWith loanIDs: [String]) throws -> [String: String]

    // MARK: Logs

    func insert(events: [PostLoanEvent]) throws
    func insert(warnings: [StoredWarning]) throws
    /// The latest warning level stored for each line.
    func lineLevels() throws -> [String: WarningLevel]
    func saveLineLevel(lineID: String, level: WarningLevel, on day: CalendarDay) throws
    /// Each line's drawn principal and limit as last recorded on or before `day`.
    func lineUsages(onOrBefore day: CalendarDay) throws -> [String: (drawn: Money, limit: Money)]
    /// Records a line's usage on `day` (the caller records only changes).
    func recordLineUsage(lineID: String, drawn: Money, limit: Money, on day: CalendarDay) throws
    /// The person key (hex of the keyed hash) of each of `applicationIDs` that is stored.
    func personKeys(applicationIDs: [String]) throws -> [String: String]
    /// The person key of every application applied in [from, to), by application id.
    func applicationPersons(from: Instant, to: Instant) throws -> [String: String]

    // MARK: Report

    func hasSnapshots(month: YearMonth) throws -> Bool
    func insert(snapshots: [MonthlyLoanSnapshot]) throws
    func snapshots(through month: YearMonth) throws -> [MonthlyLoanSnapshot]
    /// The latest decision of every application, in decision order.
    func latestDecisions() throws -> [FunnelDecision]
    /// Every repayment, as collections results read them, in the order stored: the money received,
    /// so a payment reversed since (its request `reversal:PAYMENT` approved) is left out.
    func allPayments() throws -> [PaymentRecord]
}

/// A planned action that was not carried out, and why (`CollectionsTransaction.cancel`).
public struct CancelledAction: Sendable, Hashable {
    public var loanID: String
    public var action: CollectionAction
    public var scheduledAt: Instant
    public var reason: String

    public init(loanID: String, action: CollectionAction, scheduledAt: Instant, reason: String) {
        self.loanID = loanID
        self.action = action
        self.scheduledAt = scheduledAt
        self.reason = reason
    }
}
