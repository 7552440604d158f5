import Crypto
import LendingCSV
import LendingCollections
import LendingLoanBook
import LendingModel
import LendingStorePorts

/// What `lending collections record OUTCOMES.csv` does: validates and stores outcomes
/// (`loan_id, action, happened_at, result, promise_date, promise_amount`, and an optional
/// `opt_out` column: `all` or a channel) in file order, in one transaction.
///
/// A bad row (unknown action or result, a time without offset, a promise date before the
/// contact, an amount that is not positive, an unknown loan, a conflicting repeat) stops the run
/// with nothing stored, or with a rejects file goes there (`line,column,reason,raw`; exit 3).
///
/// A row whose contact broke a contact rule, per person (``OutcomeRecorder``: outside contact
/// hours, an opted-out channel, inside the quiet period, over the call cap) is a bad row with the
/// rule's code (`outcome.outside_hours`, `outcome.opted_out`, `outcome.quiet_period`,
/// `outcome.call_cap`). Rows are checked in file order, each against the rows before it: record
/// a day's outcomes in time order.
public struct CollectionsRecordJob {
    public var inputPath: String
    public var rejectsPath: String?
    /// The contact rules the outcomes are checked against.
    public var strategy: CollectionStrategy
    /// The borrowers' UTC offset (contact hours are local time).
    public var utcOffsetSeconds: Int

    public init(inputPath: String, rejectsPath: String? = nil, strategy: CollectionStrategy = .standard, utcOffsetSeconds: Int = 8 * 3600) {
        self.inputPath = inputPath
        self.rejectsPath = rejectsPath
        self.strategy = strategy
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public struct Summary: Sendable, Equatable {
        public var rows = 0
        public var recorded = 0
        /// Rows recorded before (the same row again): nothing changed.
        public var repeated = 0
        public var rejected = 0
        public var promises = 0
    }

    public static let columns = ["loan_id", "action", "happened_at", "result", "promise_date", "promise_amount"]

    /// Runs the job.
    /// - Throws: ``LendingError`` at the first bad row without a rejects file (nothing stored),
    ///   ``CSVError`` for an unreadable file or header, and the store's errors.
    public func run(store: any CollectionsStore) throws -> Summary {
        var summary = Summary()
        let counts = try ServicingRows.withRejects(rejectsPath) { rejects in
            try store.withCollectionsTransaction { transaction in
                let recorder = OutcomeRecorder(strategy: strategy, utcOffsetSeconds: utcOffsetSeconds)
                return try ServicingRows(path: inputPath, required: CollectionsRecordJob.columns, rejects: rejects).run { row in
                    let (outcome, optOut) = try CollectionsRecordJob.read(row)
                    switch try recorder.record(outcome, optOut: optOut, in: transaction) {
                    case .recorded:
                        summary.recorded += 1
                        if outcome.result == .promiseToPay { summary.promises += 1 }
                    case .repeated:
                        summary.repeated += 1
                    }
                }
            }
        }
        summary.rows = counts.rows
        summary.rejected = counts.rejected
        return summary
    }

    static func read(_ row: ServicingRows.Row) throws -> (ContactOutcome, String?) {
        try read(field: { row($0) }, problem: { row.problem($0, $1, $2) })
    }

    /// One outcome from named fields (the columns of OUTCOMES.csv, `opt_out` optional), as
    /// `POST /v1/collections/outcomes` sends them.
    /// - Throws: ``ServicingRequestError`` naming the field at fault.
    public static func read(fields: [String: String]) throws -> (ContactOutcome, String?) {
        try read(field: { fields[$0] ?? "" }, problem: { ServicingRequestError(code: $1, field: $0, message: $2) })
    }

    static func read(field row: (String) -> String, problem: (String, String, String) -> any Error) throws -> (ContactOutcome, String?) {
        let loanID = row("loan_id")
        guard !loanID.isEmpty else { throw problem("loan_id", "outcome.loan_id", "\"loan_id\" is empty; name the loan the contact was about") }
        guard let action = CollectionAction(rawValue: row("action")) else {
            throw problem("action", "outcome.action", "\"action\" is \"\(clippedForMessage(row("action")))\"; use one of \(CollectionAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let happenedAt = Instant(iso: row("happened_at")) else {
            throw problem("happened_at", "outcome.happened_at",
                              "\"happened_at\" is \"\(clippedForMessage(row("happened_at")))\", not a date-time with offset such as 2026-11-21T09:30:00+08:00")
        }
        guard let result = ContactResult(rawValue: row("result")) else {
            throw problem("result", "outcome.result", "\"result\" is \"\(clippedForMessage(row("result")))\"; use one of \(ContactResult.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var promiseDate: CalendarDay?
        if !row("promise_date").isEmpty {
            guard let date = CalendarDay(iso: row("promise_date")) else {
                throw problem("promise_date", "outcome.promise_date", "\"promise_date\" is \"\(clippedForMessage(row("promise_date")))\", not a date YYYY-MM-DD")
            }
            guard date >= happenedAt.day(atOffsetSeconds: -14 * 3600) else {
                throw problem("promise_date", "outcome.promise_before_contact", "\"promise_date\" \(date) is before the contact; a promise is to pay later")
            }
            promiseDate = date
        }
        var promiseAmount: Money?
        if !row("promise_amount").isEmpty {
            guard let amount = Money(yuan: row("promise_amount")), amount.fen > 0 else {
                throw problem("promise_amount", "outcome.promise_amount",
                                  "\"promise_amount\" is \"\(clippedForMessage(row("promise_amount")))\", not a positive amount in yuan such as 500.00")
            }
            promiseAmount = amount
        }
        if result != .promiseToPay, promiseDate != nil || promiseAmount != nil {
            throw problem("promise_date", "outcome.promise", "a promise date or amount needs the result promise_to_pay, not \(result)")
        }
        let optOut = row("opt_out")
        if !optOut.isEmpty, optOut != "all", ContactChannel(rawValue: optOut).map({ $0.isContact }) != true {
            throw problem("opt_out", "outcome.opt_out", "\"opt_out\" is \"\(clippedForMessage(optOut))\"; use all, app, sms, phone, visit or letter")
        }
        return (ContactOutcome(loanId: loanID, action: action, happenedAt: happenedAt, result: result, promiseDate: promiseDate,
                               promiseAmount: promiseAmount), optOut.isEmpty ? nil : optOut)
    }
}
