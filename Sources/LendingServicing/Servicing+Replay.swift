import LendingLedger
import LendingModel

extension Servicing {
    /// One thing that happened to a loan after its disbursement, in the order it was posted.
    public enum HistoryEvent: Sendable, Hashable {
        case repayment(Payment)
        case restructuring(Restructuring, CalendarDay)
        case writeOff(CalendarDay)
        /// Money taken out of the overpayment account for a refund (``Servicing/refund(_:id:amount:on:terms:)``).
        case refund(id: String, amount: Money, on: CalendarDay)
        /// A refused refund given back (``Servicing/refundReturned(_:id:amount:on:terms:)``).
        case refundReturned(id: String, amount: Money, on: CalendarDay)
    }

    /// A loan rebuilt from its disbursement and its history.
    public struct Replay: Sendable, Hashable {
        public var state: LoanState
        /// Every entry the history posts, the disbursement's first.
        public var entries: [JournalEntry]
        /// Principal repaid after the disbursement (by payments, and overpayment applied on due dates).
        public var principalRepaid: Money
    }

    /// Rebuilds a loan as servicing would have made it: the disbursement of `opening`'s principal,
    /// rate, date and line over `months` (the term it was disbursed with), then each event in order (a payment catches end of day up
    /// through its date, as ``repay(_:payment:terms:)`` does), then end of day through `through`.
    ///
    /// Servicing is deterministic (end of day over several days in one run equals it day by day),
    /// so replaying a loan's stored history gives its stored state; replaying it without a payment
    /// gives the loan as if that payment never happened. That is how a reversal is computed.
    /// - Parameters:
    ///   - opening: the loan's state (its principal, rate, disbursement date and line are read;
    ///     nothing else).
    ///   - months: the term it was disbursed with (a restructuring changes the installments' count).
    /// - Throws: ``ServicingError`` as ``disburse(loanID:principal:months:on:terms:apr:lineID:)``,
    ///   ``repay(_:payment:terms:)`` and ``writeOff(_:on:terms:)`` throw for an event that could
    ///   not have been posted.
    public static func replay(_ opening: LoanState, months: Int, events: [HistoryEvent], through: CalendarDay, terms: ProductTerms) throws -> Replay {
        let disbursement = try disburse(loanID: opening.loanID, principal: opening.principal, months: months,
                                        on: opening.disbursedOn, terms: terms, apr: opening.apr, lineID: opening.lineID)
        var state = disbursement.state
        var entries = [disbursement.entry]
        var principalRepaid = Money.zero
        for event in events {
            switch event {
            case .repayment(let payment):
                let result = try repay(state, payment: payment, terms: terms)
                state = result.state
                entries += result.entries
                principalRepaid += result.principalRepaid
            case .restructuring(let change, let day):
                let result = try restructure(state, change, on: day, terms: terms)
                state = result.state
                entries += result.entries
            case .writeOff(let day):
                let result = try writeOff(state, on: day, terms: terms)
                state = result.state
                entries += result.entries
            case .refund(let id, let amount, let day):
                let result = try refund(state, id: id, amount: amount, on: day, terms: terms)
                state = result.state
                entries += result.entries
            case .refundReturned(let id, let amount, let day):
                let result = try refundReturned(state, id: id, amount: amount, on: day, terms: terms)
                state = result.state
                entries += result.entries
            }
        }
        var output = Output()
        endOfDay(&state, asOf: through, terms: terms, into: &output)
        entries += output.entries
        principalRepaid += output.principalRepaid
        return Replay(state: state, entries: entries, principalRepaid: principalRepaid)
    }

    /// The one entry that turns the ledger of `posted` into the ledger of `corrected`: for every
    /// account, the difference of the two sets' balances (debit where `corrected` holds more on the
    /// debit side). Both sets balance, so the difference does too.
    /// - Returns: `nil` when the two sets leave every account with the same balance.
    public static func correction(id: String, date: CalendarDay, kind: JournalEntry.Kind, loanID: String, reverses: String? = nil,
                                  memo: String = "", from posted: [JournalEntry], to corrected: [JournalEntry]) -> JournalEntry? {
        var difference: [AccountID: Int64] = [:]
        for entry in posted { for posting in entry.postings { difference[posting.account, default: 0] -= posting.signedAmount.fen } }
        for entry in corrected { for posting in entry.postings { difference[posting.account, default: 0] += posting.signedAmount.fen } }
        let postings: [Posting] = difference.filter { $0.value != 0 }
            .sorted { $0.key < $1.key }
            .map { account, fen in fen > 0 ? .debit(account, Money(fen: fen)) : .credit(account, Money(fen: -fen)) }
        guard !postings.isEmpty else { return nil }
        return JournalEntry(id: id, date: date, kind: kind, loanID: loanID, postings: postings, reverses: reverses, memo: memo)
    }
}
