import LendingModel

/// One refund of money a loan holds for its borrower (its overpayment account), paid back to the
/// borrower's card through the same rail as payouts, and as crash safe.
///
/// A refund is approved by a second person (maker-checker); the approval records the intent in
/// the same transaction as the refund's entry (Dr the loan's overpayment / Cr funding cash), so
/// the money leaves the borrower's balance at once and no due date can apply it meanwhile. Then
/// the rail is asked about the key (a crash may have sent it already) or sent it, with the same
/// key every time: the rail executes a key at most once. Refused for good, the money comes back
/// (entry `refund-return:KEY`, Dr funding cash / Cr overpayment); a new refund needs a new request.
///
/// ```
/// approved: sent ──pay──▶ paid
///            │      ├───▶ failed (the money returns to the overpayment account)
///            │      └───▶ unknown (no answer) ──ask the rail──▶ paid | failed
///            └──(crash before or during the call)──ask the rail──▶ paid | failed | not there: send, same key
/// ```
public struct Refund: Sendable, Hashable, Codable, RailInstruction {
    public var loanID: String
    /// 1 for a loan's first refund, then 2, 3, ...
    public var number: Int
    public var amount: Money
    public var status: PayoutStatus
    /// The business date of the approval: the date of the refund's entry.
    public var requestedOn: CalendarDay
    /// The business date the rail's final answer was recorded (`nil` while in flight).
    public var settledOn: CalendarDay?
    /// The rail's reason for a refusal (never personal data).
    public var reason: String?

    public init(loanID: String, number: Int, amount: Money, status: PayoutStatus = .sent, requestedOn: CalendarDay,
                settledOn: CalendarDay? = nil, reason: String? = nil) {
        precondition(number >= 1, "refunds count from 1")
        self.loanID = loanID
        self.number = number
        self.amount = amount
        self.status = status
        self.requestedOn = requestedOn
        self.settledOn = settledOn
        self.reason = reason
    }

    /// The idempotency key the rail sees: `LOAN#RN` (a payout's keys are `LOAN` and `LOAN#N`).
    public var key: String { Refund.key(loanID: loanID, number: number) }

    public static func key(loanID: String, number: Int) -> String { "\(loanID)#R\(number)" }

    /// The journal entry that takes the money out of the overpayment account.
    public var entryID: String { "refund:\(key)" }

    /// The journal entry that gives it back after a refusal.
    public var returnEntryID: String { "refund-return:\(key)" }

    /// What the caller must do after a transition.
    public enum Action: Sendable, Hashable {
        /// Paid: record it (the money left with the refund's entry).
        case recordPaid
        /// Refused for good: record it and give the money back to the overpayment account.
        case returnMoney
        /// Still no answer: record it as unknown and ask the rail later.
        case askLater
        /// The rail never received it: send it, with the same key.
        case send
    }

    /// The rail answered a pay call for a refund that was `sent`.
    /// - Throws: ``DisbursementError`` `disbursement.not_sent` if the refund is not `sent`.
    public func answered(with answer: RailAnswer, on day: CalendarDay) throws(DisbursementError) -> (Refund, Action) {
        let (next, step) = try RailSteps.answered(self, with: answer, on: day)
        return (next, Refund.action(step))
    }

    /// The rail was asked about a refund in flight; `record` is its record of the key (`nil`: the
    /// rail never received it).
    /// - Throws: ``DisbursementError`` `disbursement.not_in_flight`, `disbursement.rail_mismatch`
    ///   as ``Disbursement/reconciled(_:with:on:)``.
    public func reconciled(with record: RailRecord?, on day: CalendarDay) throws(DisbursementError) -> (Refund, Action) {
        let (next, step) = try RailSteps.reconciled(self, with: record, on: day)
        return (next, Refund.action(step))
    }

    static func action(_ step: RailSteps.Step) -> Action {
        switch step {
        case .paid: .recordPaid
        case .failed: .returnMoney
        case .noAnswer: .askLater
        case .notReceived: .send
        }
    }

    enum CodingKeys: String, CodingKey {
        case loanID = "loan_id"
        case number, amount, status
        case requestedOn = "requested_on"
        case settledOn = "settled_on"
        case reason
    }
}
