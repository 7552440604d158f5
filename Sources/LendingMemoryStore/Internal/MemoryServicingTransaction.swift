import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// One transaction of servicing and post-loan over a copy of the store's state: a write
/// transaction (installed when its body returns) or a read-only snapshot (writes are refused, as
/// SQLite refuses them in a read).
///
/// Each write checks everything first and changes nothing when it throws, so an operation is
/// all or nothing even when the caller catches its error and goes on.
final class MemoryServicingTransaction: MemoryTransaction {
    var state: StoreState
    let writable: Bool

    init(_ state: StoreState, writable: Bool) {
        self.state = state
        self.writable = writable
    }

    func requireWritable() throws {
        guard writable else { throw InMemoryStoreError.readOnly }
    }
}

extension MemoryServicingTransaction: ServicingTransaction {
    // MARK: Scans

    func forEachJournalRow(_ body: (SealedEntry) throws -> Void) throws -> Int {
        for entry in state.servicing.journal { try body(entry) }
        return state.servicing.postingCount
    }

    func forEachLoan(_ body: (StoredLoan) throws -> Void) throws {
        for index in state.servicing.loans.indices { try body(try state.servicing.loan(at: index)) }
    }

    func forEachLoanPayouts(_ body: (String, [Payout]) throws -> Void) throws {
        for loanID in state.servicing.payoutKeysByLoan.keys.sorted(by: precedesInBinaryOrder) {
            try body(loanID, state.servicing.payouts(ofLoan: loanID))
        }
    }

    // MARK: Agreements

    /// The application, approved by its latest decision and not yet signed.
    private func approvedWithoutAgreement(_ applicationID: String) -> (ApprovedApplication, sequence: Int64)? {
        let decisions = state.decisions
        guard state.servicing.agreements[applicationID] == nil, let stored = decisions.applications[applicationID],
              let latest = decisions.latestDecision(applicationID), latest.outcome == .approve else { return nil }
        return (ApprovedApplication(application: decisions.with(stored, inputsHash: latest.inputsHash), decision: latest), latest.sequence)
    }

    func approvedWithoutAgreement(applicationIDs: [String]) throws -> [ApprovedApplication] {
        var seen = Set<String>()
        return applicationIDs.compactMap { id in seen.insert(id).inserted ? approvedWithoutAgreement(id)?.0 : nil }
    }

    func approvedWithoutAgreement() throws -> [ApprovedApplication] {
        state.decisions.applicationOrder.compactMap(approvedWithoutAgreement).sorted { $0.sequence < $1.sequence }.map(\.0)
    }

    func insert(agreement: AgreementRecord, loan: StoredLoan?, line: StoredLine?) throws {
        try requireWritable()
        guard state.servicing.agreements[agreement.applicationID] == nil else {
            throw InMemoryStoreError.duplicate("the agreement of application \(agreement.applicationID)")
        }
        guard agreement.amount.fen > 0, agreement.apr.partsPerMillion >= 0, agreement.textHash.count == 32 else {
            throw InMemoryStoreError.constraint("the agreement of application \(agreement.applicationID) needs a positive amount, a rate of at least 0 and a SHA-256 of its text")
        }
        if let loan { try checkNew(loan) }
        if let line { try checkNew(line) }
        state.servicing.agreements[agreement.applicationID] = agreement
        if let loan { add(loan) }
        if let line { state.servicing.lines[line.line.lineID] = line }
    }

    func agreement(applicationID: String) throws -> AgreementRecord? { state.servicing.agreements[applicationID] }

    // MARK: Loans and lines

    func loans(_ loanIDs: [String]) throws -> [String: StoredLoan] {
        var found: [String: StoredLoan] = [:]
        for id in loanIDs {
            if let index = state.servicing.loanIndex[id] { found[id] = try state.servicing.loan(at: index) }
        }
        return found
    }

    func insert(loan: StoredLoan) throws {
        try requireWritable()
        try checkNew(loan)
        add(loan)
    }

    private func checkNew(_ loan: StoredLoan) throws {
        precondition(loan.status == .signed && loan.state == nil, "a new loan is signed and has no state until it is paid out")
        guard state.servicing.loanIndex[loan.loanID] == nil else { throw InMemoryStoreError.duplicate("loan \(loan.loanID)") }
        guard loan.principal.fen > 0, (1...600).contains(loan.termMonths), loan.apr.partsPerMillion >= 0 else {
            throw InMemoryStoreError.constraint("loan \(loan.loanID) needs a positive principal, a term of 1 to 600 months and a rate of at least 0")
        }
    }

    private func checkNew(_ line: StoredLine) throws {
        guard state.servicing.lines[line.line.lineID] == nil else { throw InMemoryStoreError.duplicate("line \(line.line.lineID)") }
        try check(line.line)
    }

    private func check(_ line: CreditLine) throws {
        guard line.limit.fen >= 0, line.drawnPrincipal.fen >= 0, line.apr.partsPerMillion >= 0 else {
            throw InMemoryStoreError.constraint("line \(line.lineID) needs a limit, a drawn principal and a rate of at least 0")
        }
    }

    private func add(_ loan: StoredLoan) {
        let index = state.servicing.loans.count
        state.servicing.loans.append(LoanRow(loan: loan, record: nil, daily: nil))
        state.servicing.loanIndex[loan.loanID] = index
        if let lineID = loan.lineID { state.servicing.loansByLine[lineID, default: []].append(index) }
    }

    func save(states: [LoanState]) throws {
        try requireWritable()
        let indexes = try states.map { loanState in
            guard let index = state.servicing.loanIndex[loanState.loanID], state.servicing.loans[index].loan.status != .signed else {
                throw InMemoryStoreError(code: "store.loan_state", message: "loan \(loanState.loanID) has not been paid out; its state cannot be saved")
            }
            return index
        }
        for (index, loanState) in zip(indexes, states) { write(loanState, at: index) }
    }

    func activate(states: [LoanState]) throws {
        try requireWritable()
        var activated = Set<String>()
        let indexes = try states.map { loanState in
            guard let index = state.servicing.loanIndex[loanState.loanID], state.servicing.loans[index].loan.status == .signed,
                  activated.insert(loanState.loanID).inserted else {
                throw InMemoryStoreError(code: "store.loan_state", message: "loan \(loanState.loanID) is not waiting for its payout; run lending ledger verify")
            }
            return index
        }
        for (index, loanState) in zip(indexes, states) { write(loanState, at: index) }
    }

    /// Stores a state as its record and daily fields, with its status.
    private func write(_ loanState: LoanState, at index: Int) {
        let (record, daily) = LoanStateCoding.split(loanState)
        state.servicing.loans[index].record = record
        state.servicing.loans[index].daily = daily
        state.servicing.loans[index].loan.status = StoredLoan.Status(loanState.status)
    }

    func line(_ lineID: String) throws -> StoredLine? { state.servicing.lines[lineID] }

    func save(line: CreditLine) throws {
        try requireWritable()
        guard state.servicing.lines[line.lineID] != nil else {
            throw InMemoryStoreError(code: "store.line", message: "line \(line.lineID) is not stored")
        }
        try check(line)
        // The rate is the agreement's: only the limit, the drawn principal and the freeze move.
        state.servicing.lines[line.lineID]?.line.limit = line.limit
        state.servicing.lines[line.lineID]?.line.drawnPrincipal = line.drawnPrincipal
        state.servicing.lines[line.lineID]?.line.frozen = line.frozen
    }

    func loans(ofLine lineID: String) throws -> [StoredLoan] {
        try (state.servicing.loansByLine[lineID] ?? []).map { try state.servicing.loan(at: $0) }
    }

    // MARK: Payouts

    func loansAwaitingPayout(after position: StorePosition, through day: CalendarDay, limit: Int) throws -> [(position: StorePosition, loan: StoredLoan)] {
        var found: [(position: StorePosition, loan: StoredLoan)] = []
        let loans = state.servicing.loans
        var index = state.servicing.firstIndex(after: position)
        while index < loans.count, limit < 0 || found.count < limit {
            let loan = loans[index].loan
            if loan.status == .signed, loan.signedOn <= day {
                found.append((ServicingTables.position(ofIndex: index), try state.servicing.loan(at: index)))
            }
            index += 1
        }
        return found
    }

    func payouts(loanIDs: [String]) throws -> [String: [Payout]] {
        var found: [String: [Payout]] = [:]
        for id in loanIDs {
            let payouts = state.servicing.payouts(ofLoan: id)
            if !payouts.isEmpty { found[id] = payouts }
        }
        return found
    }

    func payoutsInFlight(after key: String, limit: Int) throws -> [Payout] {
        let inFlight = state.servicing.payouts.values
            .filter { !$0.status.isFinal && precedesInBinaryOrder(key, $0.key) }
            .sorted { precedesInBinaryOrder($0.key, $1.key) }
        return limit < 0 ? inFlight : Array(inFlight.prefix(limit))
    }

    func insert(payouts: [Payout]) throws {
        try requireWritable()
        var keys = Set<String>()
        var live = Set<String>()
        for payout in payouts {
            guard state.servicing.payouts[payout.key] == nil, keys.insert(payout.key).inserted else {
                throw InMemoryStoreError.duplicate("payout attempt \(payout.attempt) of loan \(payout.loanID)")
            }
            guard payout.amount.fen > 0 else {
                throw InMemoryStoreError.constraint("payout attempt \(payout.attempt) of loan \(payout.loanID) needs a positive amount")
            }
            // At most one payout per loan that has not failed (SQLite's payouts_one_live_per_loan).
            if payout.status != .failed {
                let stored = state.servicing.payouts(ofLoan: payout.loanID).contains { $0.status != .failed }
                guard !stored, live.insert(payout.loanID).inserted else {
                    throw InMemoryStoreError(code: "store.payout",
                                             message: "loan \(payout.loanID) already has a payout that has not failed; ask the rail about it before paying again")
                }
            }
        }
        for payout in payouts {
            state.servicing.payouts[payout.key] = payout
            state.servicing.payoutKeysByLoan[payout.loanID, default: []].append(payout.key)
        }
    }

    func update(payouts: [Payout]) throws {
        try requireWritable()
        var changed: [String: Payout] = [:]
        for payout in payouts {
            // A payout not stored, or already in that status, is left as it is.
            guard var stored = changed[payout.key] ?? state.servicing.payouts[payout.key], stored.status != payout.status else { continue }
            guard !stored.status.isFinal else {
                throw InMemoryStoreError(code: "store.payout", message: "payout attempt \(stored.attempt) of loan \(stored.loanID) is final (paid or failed)")
            }
            stored.status = payout.status
            stored.settledOn = payout.settledOn
            stored.reason = payout.reason
            changed[payout.key] = stored
        }
        for (key, payout) in changed { state.servicing.payouts[key] = payout }
    }

    func sealedPersonalData(applicationIDs: [String]) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for id in applicationIDs { found[id] = state.decisions.applications[id]?.personalData }
        return found
    }

    // MARK: Repayments and draws

    func repayment(paymentID: String) throws -> StoredRepayment? { state.servicing.repayments[paymentID] }

    func repayments(loanID: String) throws -> [StoredRepayment] {
        state.servicing.repaymentOrder.compactMap { state.servicing.repayments[$0] }.filter { $0.loanID == loanID }
            .sorted { $0.entrySequence != $1.entrySequence ? $0.entrySequence < $1.entrySequence
                : $0.paymentID.utf8.lexicographicallyPrecedes($1.paymentID.utf8) }
    }

    func insert(repayment: StoredRepayment) throws {
        try requireWritable()
        guard state.servicing.repayments[repayment.paymentID] == nil else { throw InMemoryStoreError.duplicate("repayment \(repayment.paymentID)") }
        guard repayment.amount.fen > 0 else { throw InMemoryStoreError.constraint("repayment \(repayment.paymentID) needs a positive amount") }
        state.servicing.repayments[repayment.paymentID] = repayment
        state.servicing.repaymentOrder.append(repayment.paymentID)
    }

    func draw(drawID: String) throws -> StoredDraw? { state.servicing.draws[drawID] }

    func insert(draw: StoredDraw) throws {
        try requireWritable()
        guard state.servicing.draws[draw.drawID] == nil else { throw InMemoryStoreError.duplicate("draw \(draw.drawID)") }
        guard draw.amount.fen > 0 else { throw InMemoryStoreError.constraint("draw \(draw.drawID) needs a positive amount") }
        state.servicing.draws[draw.drawID] = draw
    }
}
