import Crypto
import LendingCSV
import LendingCollections
import LendingModel
import LendingStorePorts
import LendingLoanBook

/// Records one outcome inside an open transaction: the unit of work of `lending collections
/// record` (one row), of `POST /v1/collections/outcomes` and of the demo's simulated contacts.
///
/// Idempotent per (loan, action, happened at): the same row again changes nothing; the same key
/// with another result, promise or opt-out is a ``ServicingRequestError`` (`outcome.conflict`).
/// The loan must exist. The contact must have kept the contact rules, per person (every loan and
/// draw of the borrower, by the keyed hash of the ID number): an outcome of a contact outside
/// contact hours (`outcome.outside_hours`), on a channel the person opted out of before
/// (`outcome.opted_out`), or of a call inside the person's quiet period (`outcome.quiet_period`) or
/// over the person's call cap (`outcome.call_cap`) is refused, with nothing written: the dialer
/// should not have made it (``CollectionsPlanJob`` leaves such calls out of the plan).
/// The next `eod` takes the outcome: a promise pauses the ladder, a conversation on a call starts
/// the quiet period, an opt-out stops contacts on the channel.
public struct OutcomeRecorder: Sendable {
    /// The contact rules (contact hours, the call limits, which actions are calls).
    public var strategy: CollectionStrategy
    /// The borrowers' UTC offset (contact hours are local time).
    public var utcOffsetSeconds: Int

    public init(strategy: CollectionStrategy = .standard, utcOffsetSeconds: Int = 8 * 3600) {
        self.strategy = strategy
        self.utcOffsetSeconds = utcOffsetSeconds
    }

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
    /// - Throws: ``ServicingRequestError`` for an unknown loan, a conflicting repeat or a contact
    ///   the rules forbid (`outcome.outside_hours`, `outcome.opted_out`, `outcome.quiet_period`,
    ///   `outcome.call_cap`; nothing written); the store's errors.
    public func record(_ outcome: ContactOutcome, optOut: String? = nil, in transaction: any CollectionsTransaction) throws -> Outcome {
        let hash = OutcomeRecorder.requestHash(outcome, optOut: optOut)
        if let stored = try transaction.outcome(loanID: outcome.loanId, action: outcome.action, happenedAt: outcome.happenedAt) {
            if stored.requestHash == hash { return .repeated }
            throw ServicingRequestError(
                code: "outcome.conflict", field: "result",
                message: "an outcome of \(outcome.action) for loan \(clippedForMessage(outcome.loanId)) at \(outcome.happenedAt) was already recorded as \(stored.outcome.result); this row says \(outcome.result): an outcome is recorded once, correct it in the source")
        }
        guard try !transaction.loans([outcome.loanId]).isEmpty else {
            throw ServicingRequestError(code: "outcome.unknown_loan", field: "loan_id",
                                        message: "loan \(clippedForMessage(outcome.loanId)) is not known; check the loan id")
        }
        if let refusal = try refusal(for: outcome, in: transaction) {
            throw OutcomeRecorder.error(refusal, outcome: outcome)
        }
        try transaction.insert(outcome: StoredOutcome(outcome: outcome, optOut: optOut, requestHash: hash))
        return .recorded
    }

    /// Why the contact an outcome reports broke a contact rule, or `nil`: read from the store for
    /// the person of the loan (their loans' executed calls, outcomes and opt-outs).
    public func refusal(for outcome: ContactOutcome, in transaction: any CollectionsTransaction) throws -> ContactRefusal? {
        let settings = strategy.actions.first { $0.action == outcome.action }
        let channel = settings?.channel ?? .internal
        guard channel.isContact, !outcome.action.isMilestone else { return nil }
        let time = outcome.happenedAt
        let keys = try transaction.contactKeys(sharingPersonWith: [outcome.loanId])
        let loans = keys.isEmpty ? [outcome.loanId] : Array(keys.keys)
        let limits = strategy.callLimits
        let back = Int64(max(limits.windowDays, limits.quietDaysAfterConversation + 1)) * 86_400
        let end = time.adding(seconds: 1)
        let history = ContactHistory(strategy: strategy,
                                     actions: try transaction.actions(loanIDs: loans, scheduledFrom: time.adding(seconds: -back), to: end),
                                     outcomes: try transaction.outcomes(loanIDs: loans, from: time.adding(seconds: -back), to: end),
                                     optOuts: try transaction.optOutRecords(loanIDs: loans), contactKeys: keys)
        return history.refusal(loanId: outcome.loanId, action: outcome.action, channel: channel, at: time, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The error of a refused outcome: the rule's code, and a message that names the rule, the
    /// loan and the time (never the person).
    static func error(_ refusal: ContactRefusal, outcome: ContactOutcome) -> ServicingRequestError {
        let what = "\(outcome.action) on loan \(clippedForMessage(outcome.loanId)) at \(outcome.happenedAt)"
        let message = switch refusal {
        case .outsideContactHours: "\(what) is outside contact hours; a contact is made only within the strategy's contact hours"
        case .optedOut(let channel): "\(what): the borrower opted out of \(channel) before; no contact on it is allowed"
        case .quietPeriod(let until): "\(what) is inside the quiet period after a conversation with the borrower (on this or another of their loans); calls are allowed from \(until)"
        case .callCap(let until): "\(what) is over the borrower's call cap (all their loans count); calls are allowed from \(until)"
        }
        return ServicingRequestError(code: refusal.code, field: "happened_at", message: message + "; leave the call out (lending collections plan lists only the calls the rules allow)")
    }
}
