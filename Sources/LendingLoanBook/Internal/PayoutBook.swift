import LendingCSV
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

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
        try requests(for: payouts.map { ($0.key, $0.loanID, $0.amount) }, in: transaction, protector: protector)
    }

    /// The rail requests of instructions to pay a loan's borrower (payouts, refunds), to the card
    /// of the loan's application.
    static func requests(for instructions: [(key: String, loanID: String, amount: Money)], in transaction: any ServicingTransaction,
                         protector: PersonalDataProtector) throws -> [PayoutRequest] {
        guard !instructions.isEmpty else { return [] }
        let loans = try transaction.loans(instructions.map(\.loanID))
        let sealed = try transaction.sealedPersonalData(applicationIDs: Array(Set(loans.values.map(\.applicationID))))
        return try instructions.map { instruction in
            guard let loan = loans[instruction.loanID], let data = sealed[loan.applicationID] else {
                throw LendingError(code: "disburse.payee", message: "loan \(instruction.loanID) has no stored application to pay; ask support")
            }
            return PayoutRequest(key: instruction.key, amount: instruction.amount, account: PersonalFields(opened: try protector.open(data)).bankCard)
        }
    }
}
