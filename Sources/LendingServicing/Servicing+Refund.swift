import LendingLedger
import LendingModel

extension Servicing {
    /// What moving money out of (or back into) a loan's overpayment account did.
    public struct OverpaymentMove: Sendable, Hashable {
        public var state: LoanState
        /// The catch-up accruals through the date (an active loan), then the move's entry (last).
        public var entries: [JournalEntry]
    }

    /// Takes `amount` out of the money a loan holds for its borrower, to be refunded through the
    /// rail: Dr the loan's overpayment / Cr funding cash, entry `id` (kind `adjustment`), dated
    /// `date`. An active loan is caught up through `date` first (so a replay puts the refund where
    /// it happened among the due dates); a closed loan is not.
    /// - Throws: ``ServicingError`` `servicing.invalid_amount` (not positive),
    ///   `servicing.refund_exceeds_held` (more than the loan holds), `servicing.backdated` (an
    ///   active loan already through end of day after `date`).
    public static func refund(_ state: LoanState, id: String, amount: Money, on date: CalendarDay, terms: ProductTerms) throws -> OverpaymentMove {
        var (state, output) = try caughtUp(state, through: date, terms: terms, id: id, amount: amount)
        guard amount <= state.overpayment else {
            throw ServicingError(code: "servicing.refund_exceeds_held",
                                 message: "loan \(state.loanID) holds \(state.overpayment) for its borrower on \(date); \(id) asks for \(amount)")
        }
        state.overpayment -= amount
        output.entries.append(JournalEntry(id: id, date: date, kind: .adjustment, loanID: state.loanID,
                                           postings: [.debit(AccountID(loan: state.loanID, .overpayment), amount), .credit(.fundingCash, amount)],
                                           memo: "refund to the borrower"))
        return OverpaymentMove(state: state, entries: output.entries)
    }

    /// Gives back a refund the rail refused for good: Dr funding cash / Cr the loan's overpayment,
    /// entry `id` (kind `adjustment`), dated `date`; an active loan is caught up through `date`
    /// first, and the money held is applied on the next due dates as any overpayment is.
    /// - Throws: ``ServicingError`` `servicing.invalid_amount`, `servicing.backdated`.
    public static func refundReturned(_ state: LoanState, id: String, amount: Money, on date: CalendarDay, terms: ProductTerms) throws -> OverpaymentMove {
        var (state, output) = try caughtUp(state, through: date, terms: terms, id: id, amount: amount)
        state.overpayment += amount
        output.entries.append(JournalEntry(id: id, date: date, kind: .adjustment, loanID: state.loanID,
                                           postings: [.debit(.fundingCash, amount), .credit(AccountID(loan: state.loanID, .overpayment), amount)],
                                           memo: "refund refused by the rail: returned to the borrower's balance"))
        return OverpaymentMove(state: state, entries: output.entries)
    }

    private static func caughtUp(_ state: LoanState, through date: CalendarDay, terms: ProductTerms, id: String,
                                 amount: Money) throws -> (LoanState, Output) {
        guard amount.fen > 0 else {
            throw ServicingError(code: "servicing.invalid_amount", message: "\(id) has amount \(amount); amounts must be positive")
        }
        var state = state
        var output = Output()
        guard state.status == .active else { return (state, output) }
        guard date >= state.processedThrough else {
            throw ServicingError(code: "servicing.backdated",
                                 message: "\(id) of loan \(state.loanID) is dated \(date) but the loan has been through end of day \(state.processedThrough)")
        }
        state.catchUp(through: date, terms: terms, output: &output)
        return (state, output)
    }
}
