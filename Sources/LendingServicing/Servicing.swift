import LendingLedger
import LendingModel

/// The servicing stage: pure functions from a loan's state, a date or a payment and the product
/// terms to the new state, the journal entries to post and the events that happened.
///
/// Entry ids are idempotency keys the store keeps unique: `disburse:LOAN`, `accrue:LOAN:DATE`,
/// `apply:LOAN:DATE` (overpayment applied on a due date), `repay:PAYMENT`, `writeoff:LOAN`.
public enum Servicing {
    /// A new loan and its disbursement entry.
    public struct Disbursement: Sendable, Hashable {
        public var state: LoanState
        /// Dr principal receivable (loan) / Cr funding cash: post it when the payout is confirmed.
        public var entry: JournalEntry
    }

    /// What one end of day (or a catch-up over several days) produced for one loan.
    public struct EndOfDayResult: Sendable, Hashable {
        public var state: LoanState
        /// Accrual entries (one per day with anything to recognise) and overpayment applications.
        public var entries: [JournalEntry]
        public var events: [LoanEvent]
        /// Principal paid by overpayment applied on due dates (restore it to a credit line).
        public var principalRepaid: Money
    }

    /// Reusable buffers for the end-of-day step over many loans: clear with ``removeAll()``
    /// between loans and the arrays keep their capacity.
    public struct Output: Sendable {
        public var entries: [JournalEntry] = []
        public var events: [LoanEvent] = []
        public var principalRepaid: Money = .zero

        public init() {}

        public mutating func removeAll() {
            entries.removeAll(keepingCapacity: true)
            events.removeAll(keepingCapacity: true)
            principalRepaid = .zero
        }
    }

    /// What a payment did.
    public struct RepaymentResult: Sendable, Hashable {
        public var state: LoanState
        public var allocation: Allocation
        /// The catch-up accruals through the payment date, then the repayment entry (last).
        public var entries: [JournalEntry]
        public var events: [LoanEvent]
        /// Principal repaid, due and prepaid (restore it to a credit line).
        public var principalRepaid: Money

        /// Dr funding cash / Cr receivables, income (memo amounts), overpayment; id `repay:PAYMENT`.
        public var repaymentEntry: JournalEntry { entries[entries.count - 1] }
    }

    /// A written-off loan.
    public struct WriteOffResult: Sendable, Hashable {
        public var state: LoanState
        /// The catch-up accruals through the write-off date, then the write-off entry (last).
        public var entries: [JournalEntry]
        public var events: [LoanEvent]
    }

    /// Opens a loan: its schedule from the disbursement date and the disbursement entry.
    /// - Parameters:
    ///   - loanID: the loan's id (the application id, or the draw id of a line's draw).
    ///   - principal: the amount paid out.
    ///   - months: the number of monthly installments.
    ///   - date: the disbursement date; the first installment is due a month later.
    ///   - terms: the product.
    ///   - apr: the loan's own rate (from its decision); the product's when `nil`.
    ///   - lineID: the credit line of a draw.
    /// - Throws: ``ServicingError`` for an empty loan id, a principal that is not positive, a term
    ///   outside 1...600 months, or an amount too large to schedule.
    /// - Rounding: as ``Schedule/installments(principal:apr:months:method:dayCount:disbursedOn:)``.
    public static func disburse(loanID: String, principal: Money, months: Int, on date: CalendarDay, terms: ProductTerms,
                                apr: AnnualRate? = nil, lineID: String? = nil) throws -> Disbursement {
        guard !loanID.isEmpty else { throw ServicingError(code: "servicing.invalid_id", message: "a loan needs a non-empty id") }
        let rate = apr ?? terms.apr
        let installments = try Schedule.installments(principal: principal, apr: rate, months: months, method: terms.method,
                                                     dayCount: terms.dayCount, disbursedOn: date)
        let state = LoanState(loanID: loanID, lineID: lineID, apr: rate, principal: principal, disbursedOn: date, processedThrough: date,
                              status: .active, installments: installments, outstandingPrincipal: principal, interestReceivable: .zero,
                              penaltyReceivable: .zero, overpayment: .zero, memoInterest: .zero, memoPenalty: .zero, daysPastDue: 0,
                              bucket: terms.buckets[0].name, nonAccrual: false, nextDueIndex: 0, firstUnsettledIndex: 0,
                              closedOn: nil, writtenOff: nil, recovered: .zero)
        let entry = JournalEntry(id: "disburse:\(loanID)", date: date, kind: .disbursement, loanID: loanID,
                                 postings: [.debit(AccountID(loan: loanID, .principalReceivable), principal), .credit(.fundingCash, principal)])
        return Disbursement(state: state, entry: entry)
    }

    /// Runs end of day for one loan through `asOf`, catching up day by day from the day after
    /// ``LoanState/processedThrough``. Running a date already processed changes nothing.
    ///
    /// For each day d: the day's interest accrues to the installment whose period holds d
    /// (cumulative rounding, see ``Installment/interestAccrued(through:)``); penalty accrues on
    /// each installment more than `grace_days` past due, unpaid principal × penalty rate / days in
    /// year, rounded half to even; both are posted as one entry `accrue:LOAN:d` (Dr receivables / Cr
    /// income), or kept as memo amounts on non-accrual; installments due on d fall due and, under
    /// the suspense rule, overpayment held is applied to them (`apply:LOAN:d`); then days past due,
    /// bucket and non-accrual are updated for d.
    /// - Returns: the new state, the entries and the events. Loans paid off or written off only
    ///   advance their processed date.
    public static func endOfDay(_ state: LoanState, asOf: CalendarDay, terms: ProductTerms) -> EndOfDayResult {
        var state = state
        var output = Output()
        endOfDay(&state, asOf: asOf, terms: terms, into: &output)
        return EndOfDayResult(state: state, entries: output.entries, events: output.events, principalRepaid: output.principalRepaid)
    }

    /// The same step in place, appending to reusable buffers (the form for a large book).
    public static func endOfDay(_ state: inout LoanState, asOf: CalendarDay, terms: ProductTerms, into output: inout Output) {
        state.catchUp(through: asOf, terms: terms, output: &output)
    }
}
