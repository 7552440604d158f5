import LendingLedger
import LendingModel
import LendingServicing

/// The fields of a loan that end of day changes on an ordinary day, kept apart from the rest of
/// its state so that a day's run rewrites one small row per loan (see ``LoanStateCoding``).
public struct LoanDailyFields: Sendable, Hashable {
    public var processedThrough: CalendarDay
    public var daysPastDue: Int
    public var interestReceivable: Money
    public var penaltyReceivable: Money
    public var memoInterest: Money
    public var memoPenalty: Money
    /// Interest accrued so far on the installment not yet due (`installments[nextDueIndex]`);
    /// zero once every installment has fallen due.
    public var currentInterestAccrued: Money

    public init(processedThrough: CalendarDay, daysPastDue: Int, interestReceivable: Money, penaltyReceivable: Money,
                memoInterest: Money, memoPenalty: Money, currentInterestAccrued: Money) {
        self.processedThrough = processedThrough
        self.daysPastDue = daysPastDue
        self.interestReceivable = interestReceivable
        self.penaltyReceivable = penaltyReceivable
        self.memoInterest = memoInterest
        self.memoPenalty = memoPenalty
        self.currentInterestAccrued = currentInterestAccrued
    }
}
