import LendingModel

/// One loan as collections sees it on a business date: what servicing knows (days past due,
/// amounts, next due date) and what the borrower asked for (opt-outs, time zone), plus the
/// collection score. Collections defines its own snapshot so that it does not depend on servicing.
public struct CollectionSnapshot: Sendable, Hashable {
    public var loanId: String
    /// Days since the oldest unpaid installment fell due (0 when nothing is overdue).
    public var daysPastDue: Int
    /// The next due date of a loan that is not overdue (for pre-due reminders).
    public var nextDueDate: CalendarDay?
    public var overdueAmount: Money
    public var outstandingBalance: Money
    /// Everything the borrower has repaid on the loan so far; promises are judged by its growth.
    public var totalPaid: Money
    /// The loan has credit insurance (an insurance claim milestone applies).
    public var insured: Bool
    /// The borrower's UTC offset in seconds (China: 28 800), for contact hours.
    public var utcOffsetSeconds: Int
    public var optOuts: OptOuts
    /// Collection score in scorecard points (higher = more likely to pay).
    public var score: Double

    public init(loanId: String, daysPastDue: Int, nextDueDate: CalendarDay? = nil, overdueAmount: Money = .zero,
                outstandingBalance: Money = .zero, totalPaid: Money = .zero, insured: Bool = false,
                utcOffsetSeconds: Int = 28_800, optOuts: OptOuts = .none, score: Double) {
        self.loanId = loanId
        self.daysPastDue = daysPastDue
        self.nextDueDate = nextDueDate
        self.overdueAmount = overdueAmount
        self.outstandingBalance = outstandingBalance
        self.totalPaid = totalPaid
        self.insured = insured
        self.utcOffsetSeconds = utcOffsetSeconds
        self.optOuts = optOuts
        self.score = score
    }

    /// The collection day: days past due when overdue; otherwise minus the days until the next
    /// due date (0 on the due date, −3 three days before); `nil` if there is no next due date, or
    /// it has passed (a loan that is not overdue is never placed by a past date).
    public func collectionDay(on day: CalendarDay) -> Int? {
        if daysPastDue > 0 { return daysPastDue }
        guard let nextDueDate else { return nil }
        let daysToDue = day.days(to: nextDueDate)
        return daysToDue >= 0 ? -daysToDue : nil
    }
}
