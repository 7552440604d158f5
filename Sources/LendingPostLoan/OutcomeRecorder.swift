import Crypto
import LendingCSV
import LendingCollections
import LendingModel
import LendingStorePorts
import LendingLoanBook

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
