import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// A repayment as applied: the request's hash (for idempotency) and how it was allocated.
public struct StoredRepayment: Sendable, Equatable {
    public var paymentID: String
    public var loanID: String
    public var paidOn: CalendarDay
    public var amount: Money
    /// SHA-256 of the request (payment id, loan id, date, amount).
    public var requestHash: [UInt8]
    /// The sequence of the repayment entry in the journal.
    public var entrySequence: Int64
    public var penalty: Money
    public var interest: Money
    public var principal: Money
    public var overpayment: Money
    public var recovery: Money

    public init(paymentID: String, loanID: String, paidOn: CalendarDay, amount: Money, requestHash: [UInt8], entrySequence: Int64,
                penalty: Money = .zero, interest: Money = .zero, principal: Money = .zero, overpayment: Money = .zero, recovery: Money = .zero) {
        self.paymentID = paymentID
        self.loanID = loanID
        self.paidOn = paidOn
        self.amount = amount
        self.requestHash = requestHash
        self.entrySequence = entrySequence
        self.penalty = penalty
        self.interest = interest
        self.principal = principal
        self.overpayment = overpayment
        self.recovery = recovery
    }
}
