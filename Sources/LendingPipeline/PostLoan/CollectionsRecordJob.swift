import Crypto
import LendingCSV
import LendingCollections
import LendingModel

/// Records one outcome inside an open transaction: the unit of work of `lending collections
/// record` (one row) and of the demo's simulated contacts.
///
/// Idempotent per (loan, action, happened at): the same row again changes nothing; the same key
/// with another result, promise or opt-out is a ``ServicingRequestError`` (`outcome.conflict`).
/// The loan must exist. The next `eod` takes the outcome: a promise pauses the ladder, a
/// conversation on a call starts the quiet period, an opt-out stops contacts on the channel.
public struct OutcomeRecorder: Sendable {
    public init() {}

    public enum Outcome: Sendable, Equatable {
        case recorded
        case repeated
    }

    /// SHA-256 of an outcome row: what makes a repeated row recognisable.
    public static func requestHash(_ outcome: ContactOutcome, optOut: String?) -> [UInt8] {
        let fields = [outcome.loanId, outcome.action.rawValue, String(outcome.happenedAt.secondsSinceEpoch), outcome.result.rawValue,
                      outcome.promiseDate?.description ?? "", outcome.promiseAmount.map { String($0.fen) } ?? "", optOut ?? ""]
        return Array(SHA256.hash(data: Array(fields.joined(separator: "\u{1F}").utf8)))
    }

    /// Records `outcome` (with an opt-out: `all` or a channel name).
    /// - Throws: ``ServicingRequestError`` for an unknown loan or a conflicting repeat (nothing
    ///   written); the store's errors.
    public func record(_ outcome: ContactOutcome, optOut: String? = nil, in transaction: any CollectionsTransaction) throws -> Outcome {
        let hash = OutcomeRecorder.requestHash(outcome, optOut: optOut)
        if let stored = try transaction.outcome(loanID: outcome.loanId, action: outcome.action, happenedAt: outcome.happenedAt) {
            if stored.requestHash == hash { return .repeated }
            throw ServicingRequestError(
                code: "outcome.conflict", field: "result",
                message: "an outcome of \(outcome.action) for loan \(outcome.loanId) at \(outcome.happenedAt) was already recorded as \(stored.outcome.result); this row says \(outcome.result): an outcome is recorded once, correct it in the source")
        }
        guard try !transaction.loans([outcome.loanId]).isEmpty else {
            throw ServicingRequestError(code: "outcome.unknown_loan", field: "loan_id",
                                        message: "loan \(clippedForMessage(outcome.loanId)) is not known; check the loan id")
        }
        try transaction.insert(outcome: StoredOutcome(outcome: outcome, optOut: optOut, requestHash: hash))
        return .recorded
    }
}

/// What `lending collections record OUTCOMES.csv` does: validates and stores outcomes
/// (`loan_id, action, happened_at, result, promise_date, promise_amount`, and an optional
/// `opt_out` column: `all` or a channel) in file order, in one transaction.
///
/// A bad row (unknown action or result, a time without offset, a promise date before the
/// contact, an amount that is not positive, an unknown loan, a conflicting repeat) stops the run
/// with nothing stored, or with a rejects file goes there (`line,column,reason,raw`; exit 3).
public struct CollectionsRecordJob {
    public var inputPath: String
    public var rejectsPath: String?

    public init(inputPath: String, rejectsPath: String? = nil) {
        self.inputPath = inputPath
        self.rejectsPath = rejectsPath
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
                let recorder = OutcomeRecorder()
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
        let loanID = row("loan_id")
        guard !loanID.isEmpty else { throw row.problem("loan_id", "outcome.loan_id", "\"loan_id\" is empty; name the loan the contact was about") }
        guard let action = CollectionAction(rawValue: row("action")) else {
            throw row.problem("action", "outcome.action", "\"action\" is \"\(clippedForMessage(row("action")))\"; use one of \(CollectionAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let happenedAt = Instant(iso: row("happened_at")) else {
            throw row.problem("happened_at", "outcome.happened_at",
                              "\"happened_at\" is \"\(clippedForMessage(row("happened_at")))\", not a date-time with offset such as 2026-11-21T09:30:00+08:00")
        }
        guard let result = ContactResult(rawValue: row("result")) else {
            throw row.problem("result", "outcome.result", "\"result\" is \"\(clippedForMessage(row("result")))\"; use one of \(ContactResult.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var promiseDate: CalendarDay?
        if !row("promise_date").isEmpty {
            guard let date = CalendarDay(iso: row("promise_date")) else {
                throw row.problem("promise_date", "outcome.promise_date", "\"promise_date\" is \"\(clippedForMessage(row("promise_date")))\", not a date YYYY-MM-DD")
            }
            guard date >= happenedAt.day(atOffsetSeconds: -14 * 3600) else {
                throw row.problem("promise_date", "outcome.promise_date", "\"promise_date\" \(date) is before the contact; a promise is to pay later")
            }
            promiseDate = date
        }
        var promiseAmount: Money?
        if !row("promise_amount").isEmpty {
            guard let amount = Money(yuan: row("promise_amount")), amount.fen > 0 else {
                throw row.problem("promise_amount", "outcome.promise_amount",
                                  "\"promise_amount\" is \"\(clippedForMessage(row("promise_amount")))\", not a positive amount in yuan such as 500.00")
            }
            promiseAmount = amount
        }
        if result != .promiseToPay, promiseDate != nil || promiseAmount != nil {
            throw row.problem("promise_date", "outcome.promise", "a promise date or amount needs the result promise_to_pay, not \(result)")
        }
        let optOut = row("opt_out")
        if !optOut.isEmpty, optOut != "all", ContactChannel(rawValue: optOut).map({ $0.isContact }) != true {
            throw row.problem("opt_out", "outcome.opt_out", "\"opt_out\" is \"\(clippedForMessage(optOut))\"; use all, app, sms, phone, visit or letter")
        }
        return (ContactOutcome(loanId: loanID, action: action, happenedAt: happenedAt, result: result, promiseDate: promiseDate,
                               promiseAmount: promiseAmount), optOut.isEmpty ? nil : optOut)
    }
}

/// What `lending collections plan --as-of DATE` reads: the actions planned for DATE's contact
/// hours, which the post-loan run of the day before (`eod --as-of DATE-1`) stored.
public enum CollectionsPlanReader {
    /// The actions for `day`'s contact hours, in plan order (bucket, riskiest first, time), or
    /// `nil` when the post-loan run of the day before has not run.
    public static func actions(for day: CalendarDay, store: any CollectionsStore) throws -> [PlannedAction]? {
        try store.readCollections { transaction in
            let previous = day.adding(days: -1)
            guard try transaction.postLoanRun(on: previous) != nil else { return nil }
            return try transaction.actions(plannedOn: previous)
        }
    }

    /// Writes ACTIONS.csv (`loan_id, action, channel, scheduled_at, bucket, reason`).
    public static func write(_ actions: [PlannedAction], to path: String) throws {
        let file = try OutputFile(path: path)
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(PlannedAction.csvHeader)
        for action in actions {
            buffer.appendRecord(action.csvFields)
            if buffer.count > 1 << 16 {
                try file.write(buffer)
                buffer.removeAll()
            }
        }
        try file.write(buffer)
        try file.commit()
    }
}
