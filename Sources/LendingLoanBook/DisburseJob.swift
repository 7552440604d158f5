import LendingCSV
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending disburse` does: pays out every signed loan (installment loans and draws) not
/// yet paid, crash safe at every instant.
///
/// 1. Asks the rail about every payout in flight (`sent` or `unknown`) and records what it
///    says (``ReconcileJob``); the payouts it never received are sent again, with the same key.
/// 2. Then, a batch of loans at a time: in one transaction, records an intent (a payout row,
///    status `sent`) for each loan without a payout in flight, the first attempt keyed by the
///    loan id and a retry after a definite failure by `LOAN#N`; calls the rail with the batch;
///    in one transaction, records each answer: paid (the disbursement entry Dr principal / Cr
///    funding cash posted, the loan activated with its schedule from the payout's date), failed,
///    or unknown (no answer).
///
/// A kill at any instant leaves either no intent (nothing was sent) or an intent in flight,
/// which the next run asks the rail about before doing anything else; the rail executes a key
/// at most once. So nothing is lost and no loan is paid twice.
public struct DisburseJob {
    /// The business date: loans signed on or before it are paid out, dated this day.
    public var asOf: CalendarDay
    public var products: ProductCatalog
    public var protector: PersonalDataProtector
    /// Loans per intent transaction and rail call.
    public var batchSize: Int

    public init(asOf: CalendarDay, products: ProductCatalog, protector: PersonalDataProtector, batchSize: Int = 500) {
        self.asOf = asOf
        self.products = products
        self.protector = protector
        self.batchSize = max(1, batchSize)
    }

    public struct Summary: Sendable, Equatable {
        /// What asking the rail about earlier payouts in flight found.
        public var reconciled = PayoutCounts()
        /// Payouts sent in this run (new attempts and payouts the rail had never received).
        public var sent = 0
        /// What the rail answered to them.
        public var answered = PayoutCounts()
        /// Signed loans skipped because a payout of theirs is still in flight.
        public var inFlight = 0
        public var seconds = 0.0
    }

    public struct Progress: Sendable {
        public var sent: Int
        public var seconds: Double
    }

    /// Runs the job.
    /// - Throws: ``LendingError`` `disburse.rail` when the rail call fails (the batch stays in
    ///   flight: run `reconcile` or `disburse` again), ``DisbursementError`` when the rail holds
    ///   a key for another amount, and the store's errors.
    public func run(store: any ServicingStore, rail: any PaymentRail, progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        let started = monotonicSeconds()
        var summary = Summary()
        let (reconciled, resend) = try PayoutBook.reconcile(store: store, rail: rail, products: products, day: asOf, batchSize: batchSize)
        summary.reconciled = reconciled
        var lastProgress = started
        func report() {
            guard let progress else { return }
            let now = monotonicSeconds()
            if now - lastProgress > 0.25 {
                lastProgress = now
                progress(Progress(sent: summary.sent, seconds: now - started))
            }
        }
        for start in stride(from: 0, to: resend.count, by: batchSize) {
            let chunk = Array(resend[start..<min(start + batchSize, resend.count)])
            let requests = try store.readServicing { transaction in
                try PayoutBook.requests(for: chunk, in: transaction, protector: protector)
            }
            try send(chunk, requests: requests, store: store, rail: rail, summary: &summary)
            report()
        }
        var after = StorePosition.start
        while true {
            let batch: (intents: [Payout], requests: [PayoutRequest])? = try store.withServicingTransaction { transaction in
                let loans = try transaction.loansAwaitingPayout(after: after, through: asOf, limit: batchSize)
                guard let last = loans.last else { return nil }
                after = last.position
                let payouts = try transaction.payouts(loanIDs: loans.map(\.loan.loanID))
                var intents: [Payout] = []
                intents.reserveCapacity(loans.count)
                for (_, loan) in loans {
                    switch Disbursement.nextStep(loanID: loan.loanID, amount: loan.principal, payouts: payouts[loan.loanID] ?? [], on: asOf) {
                    case .send(let intent): intents.append(intent)
                    case .inFlight: summary.inFlight += 1
                    case .alreadyPaid: break
                    }
                }
                let requests = try PayoutBook.requests(for: intents, in: transaction, protector: protector)
                try transaction.insert(payouts: intents)
                return (intents, requests)
            }
            guard let batch else { break }
            guard !batch.intents.isEmpty else { continue }
            try send(batch.intents, requests: batch.requests, store: store, rail: rail, summary: &summary)
            report()
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Calls the rail for payouts already recorded as sent, then records the answers.
    private func send(_ payouts: [Payout], requests: [PayoutRequest], store: any ServicingStore, rail: any PaymentRail,
                      summary: inout Summary) throws {
        let answers: [RailAnswer]
        do {
            answers = try rail.pay(requests)
        } catch {
            throw LendingError(code: "disburse.rail",
                               message: "the rail did not answer (\(error)); \(payouts.count) payouts are in flight: run lending reconcile or lending disburse again, which ask the rail before paying anything")
        }
        guard answers.count == payouts.count else {
            throw LendingError(code: "disburse.rail", message: "the rail answered \(answers.count) of \(payouts.count) payouts; they stay in flight: run lending reconcile")
        }
        let transitions = try zip(payouts, answers).map { payout, answer in try Disbursement.answered(payout, with: answer, on: asOf) }
        try store.withServicingTransaction { transaction in
            try PayoutBook.record(transitions, in: transaction, products: products)
        }
        summary.sent += payouts.count
        for transition in transitions { summary.answered.count(transition) }
    }
}
