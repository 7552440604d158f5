import LendingLedger
import LendingModel

extension Servicing {
    /// Applies a payment to a loan.
    ///
    /// First catches end of day up through the payment date (so a payment on a due date pays the
    /// whole period's interest, and the catch-up entries come first in the result). Then pays
    /// what is due in the product's allocation order (oldest installment first, penalty → interest
    /// → principal within one; or all penalty, then all interest, then all principal). What is
    /// left follows the overpayment rule: `prepay` pays the interest accrued so far in the current
    /// period, then principal, and re-amortizes the installments not yet due over the principal
    /// left (same due dates, same count, smaller payments); `suspense` holds it for the borrower,
    /// to be applied when the next installments fall due. Anything beyond what the loan owes is
    /// held as overpayment (the store may refund it). A payment to a paid-off loan is held as
    /// overpayment; one to a written-off loan is a recovery (Dr funding cash / Cr write-off expense).
    ///
    /// Recognised interest and penalty are credited to the receivables; memo amounts (non-accrual)
    /// are credited straight to income when paid (cash basis). Days past due and the bucket are
    /// updated as of the payment date.
    /// - Parameters:
    ///   - state: the loan.
    ///   - payment: the payment; its id makes the entry id `repay:ID`, which the store keeps unique.
    ///   - terms: the loan's product.
    /// - Throws: ``ServicingError`` for a payment to another loan, an amount that is not
    ///   positive, or a date before the disbursement or before the last end of day already run
    ///   for the loan (post payments before running end of day for their date).
    public static func repay(_ state: LoanState, payment: Payment, terms: ProductTerms) throws -> RepaymentResult {
        guard payment.loanID == state.loanID else {
            throw ServicingError(code: "servicing.wrong_loan", message: "payment \(payment.id) is for loan \(payment.loanID), not \(state.loanID)")
        }
        guard payment.amount.fen > 0 else {
            throw ServicingError(code: "servicing.invalid_amount", message: "payment \(payment.id) has amount \(payment.amount); amounts must be positive")
        }
        guard payment.date >= state.processedThrough else {
            throw ServicingError(
                code: "servicing.backdated",
                message: "payment \(payment.id) is dated \(payment.date) but loan \(state.loanID) has been through end of day \(state.processedThrough); apply payments before running end of day for their date")
        }
        var state = state
        var output = Output()
        state.catchUp(through: payment.date, terms: terms, output: &output)
        var allocation = Allocation()
        var settlement = Settlement()
        var remaining = payment.amount
        let loanID = state.loanID
        var credits: [Posting]
        switch state.status {
        case .writtenOff:
            allocation.recovery = remaining
            state.recovered += remaining
            credits = [.credit(.writeOffExpense, remaining)]
            remaining = .zero
        case .paidOff:
            credits = []
        case .active:
            state.settleDue(&remaining, order: terms.allocation, settlement: &settlement, allocation: &allocation)
            if terms.overpayment == .prepay {
                state.prepay(&remaining, on: payment.date, apr: state.apr, terms: terms, settlement: &settlement, allocation: &allocation)
            }
            credits = settlement.credits(loanID: loanID)
            state.advanceSettled()
            state.closeIfPaidOff(on: payment.date, output: &output)
            state.updateDelinquency(on: payment.date, terms: terms, events: &output.events)
        }
        if remaining.fen > 0 {
            allocation.overpayment = remaining
            state.overpayment += remaining
            credits.append(.credit(AccountID(loan: loanID, .overpayment), remaining))
        }
        output.entries.append(JournalEntry(id: "repay:\(payment.id)", date: payment.date, kind: .repayment, loanID: loanID,
                                           postings: [.debit(.fundingCash, payment.amount)] + credits))
        return RepaymentResult(state: state, allocation: allocation, entries: output.entries, events: output.events,
                               principalRepaid: output.principalRepaid + settlement.principal)
    }

    /// Writes a loan off (post-loan does it at 180 days past due by default): catches end of day
    /// up through `date`, then Dr write-off expense / Cr principal, interest and penalty
    /// receivable, entry `writeoff:LOAN`. The contractual amounts stay in the installments (and
    /// memo amounts stay memo); later payments are recoveries.
    /// - Throws: ``ServicingError`` `servicing.not_active` for a loan paid off or already written
    ///   off, `servicing.backdated` for a date before the last end of day run.
    public static func writeOff(_ state: LoanState, on date: CalendarDay, terms: ProductTerms) throws -> WriteOffResult {
        var (state, output) = try caughtUpActive(state, through: date, terms: terms,
                                                 step: (can: "be written off", named: "write-off", verb: "write off"))
        let loanID = state.loanID
        let written = LoanBalances(principal: state.outstandingPrincipal, interest: state.interestReceivable,
                                   penalty: state.penaltyReceivable, overpayment: .zero)
        var credits: [Posting] = []
        if written.principal.fen > 0 { credits.append(.credit(AccountID(loan: loanID, .principalReceivable), written.principal)) }
        if written.interest.fen > 0 { credits.append(.credit(AccountID(loan: loanID, .interestReceivable), written.interest)) }
        if written.penalty.fen > 0 { credits.append(.credit(AccountID(loan: loanID, .penaltyReceivable), written.penalty)) }
        let total = written.principal + written.interest + written.penalty
        if total.fen > 0 {
            output.entries.append(JournalEntry(id: "writeoff:\(loanID)", date: date, kind: .writeOff, loanID: loanID,
                                               postings: [.debit(.writeOffExpense, total)] + credits))
        }
        state.outstandingPrincipal = .zero
        state.interestReceivable = .zero
        state.penaltyReceivable = .zero
        state.status = .writtenOff
        state.closedOn = date
        state.writtenOff = written
        output.events.append(.writtenOff(date: date))
        return WriteOffResult(state: state, entries: output.entries, events: output.events)
    }

    /// An active loan caught up through `date`, for a step that changes an active loan as of a
    /// day (a write-off, a restructuring): with its catch-up entries and events.
    /// - Throws: ``ServicingError`` `servicing.not_active` for a loan paid off or written off (also
    ///   one the catch-up pays off), `servicing.backdated` for a date before the last end of day run;
    ///   the messages name the step (`step.can`: "be written off", `step.named`: "write-off",
    ///   `step.verb`: "write off").
    static func caughtUpActive(_ state: LoanState, through date: CalendarDay, terms: ProductTerms,
                               step: (can: String, named: String, verb: String)) throws -> (LoanState, Output) {
        guard state.status == .active else {
            throw ServicingError(code: "servicing.not_active", message: "loan \(state.loanID) is \(state.status.rawValue); only an active loan can \(step.can)")
        }
        guard date >= state.processedThrough else {
            throw ServicingError(code: "servicing.backdated",
                                 message: "\(step.named) of loan \(state.loanID) is dated \(date) but the loan has been through end of day \(state.processedThrough)")
        }
        var state = state
        var output = Output()
        state.catchUp(through: date, terms: terms, output: &output)
        guard state.status == .active else {
            throw ServicingError(code: "servicing.not_active", message: "loan \(state.loanID) was paid off by \(date); nothing to \(step.verb)")
        }
        return (state, output)
    }
}
