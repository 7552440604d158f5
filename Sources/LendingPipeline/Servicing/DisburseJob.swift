import LendingCSV
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// Counts of what happened to payouts in a run.
public struct PayoutCounts: Sendable, Equatable {
    /// Payouts the rail executed (loans activated).
    public var paid = 0
    /// Payouts the rail refused (retried with a new attempt by the next `disburse`).
    public var failed = 0
    /// Payouts whose answer was lost (settled by `reconcile` or the next `disburse`).
    public var unknown = 0
    /// Payouts in flight the rail had never received (sent again, with the same key, by `disburse`).
    public var notAtRail = 0

    public init() {}

    mutating func count(_ transition: Disbursement.Transition) {
        switch transition.action {
        case .activateLoan: paid += 1
        case .recordFailure: failed += 1
        case .askLater: unknown += 1
        case .resend: notAtRail += 1
        }
    }
}

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
        var after: Int64 = 0
        while true {
            let batch: (intents: [Payout], requests: [PayoutRequest])? = try store.withServicingTransaction { transaction in
                let loans = try transaction.loansAwaitingPayout(after: after, through: asOf, limit: batchSize)
                guard let last = loans.last else { return nil }
                after = last.rowID
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

/// What `lending reconcile` does: asks the rail about every payout in flight (`sent`, or
/// `unknown` after a lost answer) and records what it says; a paid payout activates its loan.
/// It never pays: a payout the rail never received stays `sent` for the next `disburse`.
public struct ReconcileJob {
    public var asOf: CalendarDay
    public var products: ProductCatalog
    public var batchSize: Int

    public init(asOf: CalendarDay, products: ProductCatalog, batchSize: Int = 500) {
        self.asOf = asOf
        self.products = products
        self.batchSize = max(1, batchSize)
    }

    /// Runs the job.
    /// - Returns: what the rail's records settled.
    public func run(store: any ServicingStore, rail: any PaymentRail) throws -> PayoutCounts {
        try PayoutBook.reconcile(store: store, rail: rail, products: products, day: asOf, batchSize: batchSize).counts
    }
}

/// The steps `disburse` and `reconcile` share.
enum PayoutBook {
    /// Asks the rail about every payout in flight, a batch at a time, and records what it says.
    /// - Returns: the counts, and the payouts the rail never received (still `sent`).
    static func reconcile(store: any ServicingStore, rail: any PaymentRail, products: ProductCatalog, day: CalendarDay,
                          batchSize: Int) throws -> (counts: PayoutCounts, resend: [Payout]) {
        var counts = PayoutCounts()
        var resend: [Payout] = []
        var after = ""
        while true {
            let inFlight = try store.readServicing { try $0.payoutsInFlight(after: after, limit: batchSize) }
            guard let last = inFlight.last else { break }
            after = last.key
            let records: [String: RailRecord]
            do {
                records = try rail.records(keys: inFlight.map(\.key))
            } catch {
                throw LendingError(code: "reconcile.rail", message: "the rail cannot be asked (\(error)); nothing was changed: run it again later")
            }
            let transitions = try inFlight.map { try Disbursement.reconciled($0, with: records[$0.key], on: day) }
            try store.withServicingTransaction { transaction in
                try record(transitions.filter { $0.action != .resend }, in: transaction, products: products)
            }
            for transition in transitions {
                counts.count(transition)
                if transition.action == .resend { resend.append(transition.payout) }
            }
        }
        return (counts, resend)
    }

    /// Records transitions in the open transaction: the payouts' new status and, for each paid
    /// one, the loan activated with its disbursement entry (dated the payout's intent day).
    /// A payout already settled in storage (by another run working at the same time) is left as
    /// it is: its loan was activated then.
    static func record(_ transitions: [Disbursement.Transition], in transaction: any ServicingTransaction, products: ProductCatalog) throws {
        guard !transitions.isEmpty else { return }
        let stored = try transaction.payouts(loanIDs: transitions.map(\.payout.loanID))
        let open = transitions.filter { transition in
            stored[transition.payout.loanID]?.contains { $0.attempt == transition.payout.attempt && !$0.status.isFinal } ?? false
        }
        try transaction.update(payouts: open.map(\.payout))
        let paid = open.filter { $0.action == .activateLoan }.map(\.payout)
        guard !paid.isEmpty else { return }
        let loans = try transaction.loans(paid.map(\.loanID))
        var states: [LoanState] = []
        var entries: [JournalEntry] = []
        states.reserveCapacity(paid.count)
        entries.reserveCapacity(paid.count)
        for payout in paid {
            guard let loan = loans[payout.loanID], loan.status == .signed else {
                throw LendingError(code: "disburse.state",
                                   message: "payout \(payout.key) was paid but loan \(payout.loanID) is not waiting for a payout; run lending ledger verify and ask support")
            }
            guard loan.principal == payout.amount else {
                throw LendingError(code: "disburse.amount", message: "payout \(payout.key) is for \(payout.amount) but loan \(loan.loanID) is for \(loan.principal); ask support")
            }
            let disbursement: Servicing.Disbursement
            do {
                disbursement = try Servicing.disburse(loanID: loan.loanID, principal: loan.principal, months: loan.termMonths, on: payout.sentOn,
                                                      terms: try products.terms(for: loan.product), apr: loan.apr, lineID: loan.lineID)
            } catch let error as ServicingError {
                throw LendingError(code: error.code, message: "loan \(loan.loanID) was paid but cannot be scheduled: \(error.message)")
            }
            states.append(disbursement.state)
            entries.append(disbursement.entry)
        }
        try transaction.activate(states: states)
        try transaction.post(entries)
    }

    /// The rail requests of payouts: the payee's card opened from the application's sealed
    /// personal data (in memory only).
    static func requests(for payouts: [Payout], in transaction: any ServicingTransaction, protector: PersonalDataProtector) throws -> [PayoutRequest] {
        guard !payouts.isEmpty else { return [] }
        let loans = try transaction.loans(payouts.map(\.loanID))
        let sealed = try transaction.sealedPersonalData(applicationIDs: Array(Set(loans.values.map(\.applicationID))))
        return try payouts.map { payout in
            guard let loan = loans[payout.loanID], let data = sealed[loan.applicationID] else {
                throw LendingError(code: "disburse.payee", message: "loan \(payout.loanID) has no stored application to pay; ask support")
            }
            return PayoutRequest(key: payout.key, amount: payout.amount, account: PersonalFields(opened: try protector.open(data)).bankCard)
        }
    }
}
