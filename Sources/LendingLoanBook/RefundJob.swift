import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending refunds pay` does: every approved refund still in flight (``RefundDesk``
/// recorded it `sent` with its entry when it was approved) goes through the rail, crash safe
/// at every instant.
///
/// A batch at a time, in key order: asks the rail about the keys first and records what it
/// holds (a run killed after the call, or an answer lost, left them there); the keys the rail
/// never received are sent (same key every time: the rail executes a key at most once), and the
/// answers recorded: paid, refused (the money back to the loan's overpayment account, entry
/// `refund-return:KEY`, in the same transaction), or no answer (asked again by the next run).
/// A kill at any instant leaves each refund `sent`, `unknown` or final, and the next run asks
/// the rail before anything else, so no refund is paid twice and none is lost.
public struct RefundJob {
    /// The business date: refusals are dated it (an active loan's return no earlier than its last end of day).
    public var asOf: CalendarDay
    public var products: ProductCatalog
    public var protector: PersonalDataProtector
    public var batchSize: Int

    public init(asOf: CalendarDay, products: ProductCatalog, protector: PersonalDataProtector, batchSize: Int = 500) {
        self.asOf = asOf
        self.products = products
        self.protector = protector
        self.batchSize = max(1, batchSize)
    }

    public struct Summary: Sendable, Equatable {
        /// Refunds in flight at the start of their batch.
        public var inFlight = 0
        /// Refunds sent in this run (the rail had not received them).
        public var sent = 0
        /// Refunds the rail paid, refused, or left without an answer (by its records or its answers).
        public var paid = 0
        public var failed = 0
        public var unknown = 0
        public var seconds = 0.0

        mutating func count(_ action: Refund.Action) {
            switch action {
            case .recordPaid: paid += 1
            case .returnMoney: failed += 1
            case .askLater: unknown += 1
            case .send: break
            }
        }
    }

    /// Runs the job.
    /// - Throws: ``LendingError`` `refund.rail` when the rail cannot be asked or does not answer
    ///   (the refunds stay in flight: run it again), ``DisbursementError`` when the rail holds a key
    ///   for another amount, and the store's errors.
    public func run(store: any ServicingStore, rail: any PaymentRail) throws -> Summary {
        let started = monotonicSeconds()
        var summary = Summary()
        var after = ""
        while true {
            let inFlight = try store.readServicing { try $0.refundsInFlight(after: after, limit: batchSize) }
            guard let last = inFlight.last else { break }
            after = last.refund.key
            summary.inFlight += inFlight.count
            let records: [String: RailRecord]
            do {
                records = try rail.records(keys: inFlight.map(\.refund.key))
            } catch {
                throw LendingError(code: "refund.rail", message: "the rail cannot be asked (\(error)); nothing was changed: run lending refunds pay again later")
            }
            let asked = try inFlight.map { try $0.refund.reconciled(with: records[$0.refund.key], on: asOf) }
            try store.withServicingTransaction { try record(asked.filter { $0.1 != .send }, in: $0) }
            for (_, action) in asked { summary.count(action) }
            let unsent = asked.filter { $0.1 == .send }.map(\.0)
            guard !unsent.isEmpty else { continue }
            let requests = try store.readServicing { transaction in
                try PayoutBook.requests(for: unsent.map { ($0.key, $0.loanID, $0.amount) }, in: transaction, protector: protector)
            }
            let answers: [RailAnswer]
            do {
                answers = try rail.pay(requests)
            } catch {
                throw LendingError(code: "refund.rail",
                                   message: "the rail did not answer (\(error)); \(unsent.count) refunds are in flight: run lending refunds pay again, which asks the rail before paying anything")
            }
            guard answers.count == unsent.count else {
                throw LendingError(code: "refund.rail", message: "the rail answered \(answers.count) of \(unsent.count) refunds; they stay in flight: run lending refunds pay again")
            }
            let answered = try zip(unsent, answers).map { refund, answer in try refund.answered(with: answer, on: asOf) }
            try store.withServicingTransaction { try record(answered, in: $0) }
            summary.sent += unsent.count
            for (_, action) in answered { summary.count(action) }
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Records refunds' new states in the open transaction; a refused one gives its money back.
    /// A refund already final in storage (settled by another run meanwhile) is left as it is.
    func record(_ transitions: [(Refund, Refund.Action)], in transaction: any ServicingTransaction) throws {
        for (refund, action) in transitions {
            guard var stored = try transaction.refunds(loanID: refund.loanID).first(where: { $0.refund.number == refund.number }),
                  !stored.refund.status.isFinal, stored.refund.status != refund.status || action == .returnMoney else { continue }
            stored.refund = refund
            if action == .returnMoney {
                guard let loan = try transaction.loans([refund.loanID])[refund.loanID], let state = loan.state else {
                    throw LendingError(code: "refund.state", message: "refund \(refund.key) was refused but loan \(refund.loanID) is not serviced; run lending ledger verify and ask support")
                }
                let day = RefundDesk.entryDate(state, businessDay: asOf)
                let move: Servicing.OverpaymentMove
                do {
                    move = try Servicing.refundReturned(state, id: refund.returnEntryID, amount: refund.amount, on: day, terms: try products.terms(for: loan.product))
                } catch let error as ServicingError {
                    throw LendingError(code: error.code, message: "refund \(refund.key) was refused but cannot be returned to loan \(refund.loanID): \(error.message)")
                }
                let sealed = try transaction.post(move.entries)
                try transaction.save(states: [move.state])
                stored.refund.settledOn = move.entries.last?.date ?? day
                stored.returnSequence = sealed.last?.sequence
            }
            try transaction.update(refund: stored)
        }
    }
}
