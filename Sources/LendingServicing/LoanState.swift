import LendingLedger
import LendingModel

/// Where a loan is in its life.
public enum LoanStatus: String, Sendable, Hashable, Codable {
    case active
    /// Principal, interest and penalty all paid.
    case paidOff = "paid_off"
    /// Receivables written off (post-loan, by default at 180 days past due).
    case writtenOff = "written_off"
}

/// Everything servicing knows about one loan: its schedule, balances and delinquency.
///
/// A flat value: small fields and one array of small installments, so the end-of-day step over a
/// large book copies and allocates little. Codable (snake_case) for storage and `loans show`.
///
/// Invariants (tested): the ledger balances of the loan equal ``ledgerBalances``; unpaid accrued
/// interest over the installments = ``interestReceivable`` + ``memoInterest``, and the same for
/// penalty; ``outstandingPrincipal`` = the unpaid principal over the installments (while active).
public struct LoanState: Sendable, Hashable, Codable {
    public var loanID: String
    /// The credit line a draw belongs to; `nil` for an installment loan.
    public var lineID: String?
    /// The loan's own annual rate (from its decision; the product's rate by default).
    public var apr: AnnualRate
    /// Principal disbursed.
    public var principal: Money
    public var disbursedOn: CalendarDay
    /// The last day whose end of day has been run for this loan (the disbursement date at first).
    public var processedThrough: CalendarDay
    public var status: LoanStatus
    public var installments: [Installment]
    /// Principal receivable (zero once written off).
    public var outstandingPrincipal: Money
    /// Interest accrued, recognised in the ledger and unpaid.
    public var interestReceivable: Money
    /// Penalty accrued, recognised in the ledger and unpaid.
    public var penaltyReceivable: Money
    /// Money held for the borrower (paid beyond what was owed, or parked by the suspense rule).
    public var overpayment: Money
    /// Interest accrued while on non-accrual: owed by the borrower, not recognised as income
    /// until paid (a memo amount; nothing is posted for it until then).
    public var memoInterest: Money
    /// Penalty accrued while on non-accrual (memo, as ``memoInterest``).
    public var memoPenalty: Money
    /// Days since the oldest unsettled installment's due date (0 if none), as of ``processedThrough``
    /// (or the last payment's date).
    public var daysPastDue: Int
    /// The delinquency bucket's name for ``daysPastDue``.
    public var bucket: String
    /// Interest and penalty are no longer recognised (more than `non_accrual_after_days` past due);
    /// cleared when the loan is current again.
    public var nonAccrual: Bool
    /// Index of the first installment that has not fallen due yet (`installments.count` at maturity).
    public var nextDueIndex: Int
    /// Index of the first installment whose principal and interest are not fully paid.
    public var firstUnsettledIndex: Int
    /// The day the loan was paid off or written off.
    public var closedOn: CalendarDay?
    /// What was written off (the receivables at that moment).
    public var writtenOff: LoanBalances?
    /// Cash received after the write-off.
    public var recovered: Money
    /// Hardship pauses of delinquency ageing, in date order, none overlapping another: days inside
    /// one do not count in ``daysPastDue`` (``Restructuring/pause(days:)``).
    public var agingPauses: [AgingPause]

    /// A state restored from storage, field by field (new loans come from ``Servicing/disburse(loanID:principal:months:on:terms:apr:lineID:)``).
    public init(loanID: String, lineID: String?, apr: AnnualRate, principal: Money, disbursedOn: CalendarDay, processedThrough: CalendarDay,
                status: LoanStatus, installments: [Installment], outstandingPrincipal: Money, interestReceivable: Money,
                penaltyReceivable: Money, overpayment: Money, memoInterest: Money, memoPenalty: Money, daysPastDue: Int, bucket: String,
                nonAccrual: Bool, nextDueIndex: Int, firstUnsettledIndex: Int, closedOn: CalendarDay?, writtenOff: LoanBalances?,
                recovered: Money, agingPauses: [AgingPause] = []) {
        self.loanID = loanID
        self.lineID = lineID
        self.apr = apr
        self.principal = principal
        self.disbursedOn = disbursedOn
        self.processedThrough = processedThrough
        self.status = status
        self.installments = installments
        self.outstandingPrincipal = outstandingPrincipal
        self.interestReceivable = interestReceivable
        self.penaltyReceivable = penaltyReceivable
        self.overpayment = overpayment
        self.memoInterest = memoInterest
        self.memoPenalty = memoPenalty
        self.daysPastDue = daysPastDue
        self.bucket = bucket
        self.nonAccrual = nonAccrual
        self.nextDueIndex = nextDueIndex
        self.firstUnsettledIndex = firstUnsettledIndex
        self.closedOn = closedOn
        self.writtenOff = writtenOff
        self.recovered = recovered
        self.agingPauses = agingPauses
    }

    /// The balances the ledger must hold for this loan.
    public var ledgerBalances: LoanBalances {
        LoanBalances(principal: outstandingPrincipal, interest: interestReceivable, penalty: penaltyReceivable, overpayment: overpayment)
    }

    /// Principal that has fallen due and is unpaid.
    public var overduePrincipal: Money {
        var sum = Money.zero
        for index in firstUnsettledIndex..<max(firstUnsettledIndex, nextDueIndex) { sum += installments[index].principalUnpaid }
        return sum
    }

    /// What it takes to close the loan today: unpaid principal, interest accrued so far (due or
    /// not, memo included) and penalty, less the overpayment held. With the `prepay` rule, a
    /// payment of this amount on ``processedThrough`` pays the loan off.
    public var payoffAmount: Money {
        guard status == .active else { return .zero }
        var interest = Money.zero
        var penalty = Money.zero
        for installment in installments {
            interest += installment.interestUnpaid
            penalty += installment.penaltyUnpaid
        }
        return max(.zero, outstandingPrincipal + interest + penalty - overpayment)
    }

    enum CodingKeys: String, CodingKey {
        case loanID = "loan_id"
        case lineID = "line_id"
        case apr, principal
        case disbursedOn = "disbursed_on"
        case processedThrough = "processed_through"
        case status, installments
        case outstandingPrincipal = "outstanding_principal"
        case interestReceivable = "interest_receivable"
        case penaltyReceivable = "penalty_receivable"
        case overpayment
        case memoInterest = "memo_interest"
        case memoPenalty = "memo_penalty"
        case daysPastDue = "days_past_due"
        case bucket
        case nonAccrual = "non_accrual"
        case nextDueIndex = "next_due_index"
        case firstUnsettledIndex = "first_unsettled_index"
        case closedOn = "closed_on"
        case writtenOff = "written_off"
        case recovered
        case agingPauses = "aging_pauses"
    }
}

/// A hardship pause of delinquency ageing, `from` through `through` (both included): while it
/// lasts, days past due stand still; after it, they go on from where they stood.
public struct AgingPause: Sendable, Hashable, Codable {
    public var from: CalendarDay
    public var through: CalendarDay

    public init(from: CalendarDay, through: CalendarDay) {
        self.from = from
        self.through = through
    }

    /// Days of `first...last` inside the pause.
    func overlap(_ first: CalendarDay, _ last: CalendarDay) -> Int {
        let start = max(first, from), end = min(last, through)
        return start <= end ? start.days(to: end) + 1 : 0
    }
}

/// Something that happened to a loan during end of day, a payment or a write-off.
public enum LoanEvent: Sendable, Hashable {
    /// An installment fell due (at the end of its due date).
    case installmentDue(number: Int, date: CalendarDay)
    /// Days past due moved the loan to another bucket.
    case bucketChanged(from: String, to: String, date: CalendarDay)
    /// The loan went past `non_accrual_after_days`: income is no longer recognised from the next day.
    case enteredNonAccrual(date: CalendarDay)
    /// The loan is current again and recognises income again (memo amounts stay memo until paid).
    case leftNonAccrual(date: CalendarDay)
    case paidOff(date: CalendarDay)
    case writtenOff(date: CalendarDay)
}
