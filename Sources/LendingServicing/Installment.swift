import LendingModel

/// One monthly installment of a loan: what falls due on its date, what has accrued and what is paid.
///
/// The installment's period runs from the day after the previous due date (or the disbursement)
/// through its due date. Interest accrues daily over the period so that it reaches
/// ``interestDue`` exactly on the due date (see ``interestAccrued(through:)``).
public struct Installment: Sendable, Hashable, Codable {
    /// 1-based position in the schedule.
    public var number: Int
    public var dueDate: CalendarDay
    /// Principal that falls due on the due date.
    public var principalDue: Money
    /// The period's interest (scheduled; re-planned after a prepayment).
    public var interestDue: Money
    /// The start of the current accrual segment: the previous due date (or disbursement), or the
    /// date of a prepayment within the period. Interest accrues for the days after it.
    public var accrualStart: CalendarDay
    /// Interest accrued before ``accrualStart`` (non-zero only after a prepayment within the period).
    public var accrualBase: Money
    /// Interest accrued so far (recognised in the ledger, or memo under non-accrual).
    public var interestAccrued: Money
    /// Penalty interest accrued so far on this installment's overdue principal.
    public var penaltyAccrued: Money
    public var principalPaid: Money
    public var interestPaid: Money
    public var penaltyPaid: Money

    public init(number: Int, dueDate: CalendarDay, principalDue: Money, interestDue: Money, accrualStart: CalendarDay,
                accrualBase: Money = .zero, interestAccrued: Money = .zero, penaltyAccrued: Money = .zero,
                principalPaid: Money = .zero, interestPaid: Money = .zero, penaltyPaid: Money = .zero) {
        self.number = number
        self.dueDate = dueDate
        self.principalDue = principalDue
        self.interestDue = interestDue
        self.accrualStart = accrualStart
        self.accrualBase = accrualBase
        self.interestAccrued = interestAccrued
        self.penaltyAccrued = penaltyAccrued
        self.principalPaid = principalPaid
        self.interestPaid = interestPaid
        self.penaltyPaid = penaltyPaid
    }

    /// Scheduled payment of the installment (principal + interest).
    public var amountDue: Money { principalDue + interestDue }
    public var principalUnpaid: Money { principalDue - principalPaid }
    /// Interest accrued and not yet paid.
    public var interestUnpaid: Money { interestAccrued - interestPaid }
    public var penaltyUnpaid: Money { penaltyAccrued - penaltyPaid }
    /// Principal and interest fully paid (penalty may still be owed on the loan).
    public var isSettled: Bool { principalPaid == principalDue && interestPaid == interestDue }

    /// Interest accrued through the end of `day` (a day of this installment's period, after
    /// ``accrualStart``): `accrualBase + round((interestDue − accrualBase) × elapsed / segment days)`,
    /// rounded half to even. Cumulative rounding makes the daily amounts sum exactly to
    /// ``interestDue`` on the due date, and never exceed it.
    public func interestAccrued(through day: CalendarDay) -> Money {
        let elapsed = Int64(accrualStart.days(to: day))
        let length = Int64(accrualStart.days(to: dueDate))
        if elapsed >= length { return interestDue }
        let segment = interestDue.fen - accrualBase.fen
        let share = AnnualRate.bankersDivide(Int128(segment) * Int128(elapsed), by: Int128(length))
        return Money(fen: accrualBase.fen + Int64(share))
    }

    enum CodingKeys: String, CodingKey {
        case number
        case dueDate = "due_date"
        case principalDue = "principal_due"
        case interestDue = "interest_due"
        case accrualStart = "accrual_start"
        case accrualBase = "accrual_base"
        case interestAccrued = "interest_accrued"
        case penaltyAccrued = "penalty_accrued"
        case principalPaid = "principal_paid"
        case interestPaid = "interest_paid"
        case penaltyPaid = "penalty_paid"
    }
}
