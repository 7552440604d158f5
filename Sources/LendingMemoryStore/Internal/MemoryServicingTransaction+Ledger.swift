import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// The journal (append-only, continuing the head it keeps apart from the rows, as SQLite's
/// `journal_head`) and end of day.
extension MemoryServicingTransaction {
    func journalHead() throws -> ChainHead { state.servicing.head }

    func append(_ entries: [SealedEntry]) throws {
        try requireWritable()
        try checkAppend(entries)
        add(entries)
    }

    /// Refuses entries that do not continue the chain from the head, one after another, or that
    /// break a rule of the journal's schema (a unique id; a daily entry's id names its kind and
    /// ends with its date; positive amounts).
    private func checkAppend(_ entries: [SealedEntry]) throws {
        var head = state.servicing.head
        var ids = Set<String>()
        for sealed in entries {
            guard sealed.sequence == head.sequence + 1, sealed.previousHash == head.hash else {
                throw InMemoryStoreError(
                    code: "store.chain",
                    message: "entry \(sealed.sequence) does not continue the journal, which ends at \(head.sequence); another process wrote meanwhile: run again")
            }
            let entry = sealed.entry
            guard !state.servicing.journalIDs.contains(entry.id), ids.insert(entry.id).inserted else {
                throw InMemoryStoreError.duplicate("journal entry \(entry.id)")
            }
            let daily = entry.kind == .accrual || entry.kind == .overpaymentApplied
            guard daily == (entry.id.hasPrefix("accrue:") || entry.id.hasPrefix("apply:")), !daily || entry.id.hasSuffix(entry.date.description) else {
                throw InMemoryStoreError.constraint("journal entry \(entry.id) of kind \(entry.kind.rawValue): only accruals and applications of overpayment have daily ids, which end with their date")
            }
            guard entry.postings.allSatisfy({ $0.amount.fen > 0 }) else {
                throw InMemoryStoreError.constraint("journal entry \(entry.id) posts an amount that is not positive")
            }
            head = sealed.head
        }
    }

    private func add(_ entries: [SealedEntry]) {
        guard let last = entries.last else { return }
        for sealed in entries {
            state.servicing.journal.append(sealed)
            state.servicing.journalIDs.insert(sealed.entry.id)
            state.servicing.postingCount += sealed.entry.postings.count
        }
        state.servicing.head = last.head
    }

    // MARK: End of day

    func activeLoans(after position: StorePosition, notProcessedThrough day: CalendarDay, limit: Int, partition: LoanPartition,
                     into rows: inout DailyLoanRows) throws {
        let loans = state.servicing.loans
        var index = state.servicing.firstIndex(after: position)
        var found = 0
        while index < loans.count, limit < 0 || found < limit {
            let row = loans[index]
            let at = ServicingTables.position(ofIndex: index)
            if row.loan.status == .active, let daily = row.daily, daily.processedThrough < day, partition.contains(at) {
                rows.positions.append(at)
                rows.products.append(row.loan.product)
                rows.daily.append(daily)
                rows.records.append(row.record ?? [])
                found += 1
            }
            index += 1
        }
    }

    func activeLoans(at positions: [StorePosition], notProcessedThrough day: CalendarDay, into rows: inout DailyLoanRows) throws {
        for index in positions.compactMap({ state.servicing.index(of: $0) }).sorted() {
            let row = state.servicing.loans[index]
            guard row.loan.status == .active, let daily = row.daily, daily.processedThrough < day else { continue }
            rows.positions.append(ServicingTables.position(ofIndex: index))
            rows.products.append(row.loan.product)
            rows.daily.append(daily)
            rows.records.append(row.record ?? [])
        }
    }

    func saveEndOfDay(_ updates: DailyLoanUpdates, entries: [SealedEntry]) throws {
        try requireWritable()
        let indexes = try updates.positions.enumerated().map { offset, position in
            guard let index = state.servicing.index(of: position) else {
                throw InMemoryStoreError(code: "store.position", message: "end of day wrote a loan position this store did not give out; run end of day again")
            }
            let row = state.servicing.loans[index]
            let status = updates.statuses[offset] ?? row.loan.status
            guard (status == .signed) == (updates.records[offset] == nil && row.record == nil) else {
                throw InMemoryStoreError(code: "store.loan_state", message: "loan \(row.loan.loanID) has no state until it is paid out, and keeps one after")
            }
            return index
        }
        try checkAppend(entries)
        for (offset, index) in indexes.enumerated() {
            state.servicing.loans[index].daily = updates.daily[offset]
            if let record = updates.records[offset] { state.servicing.loans[index].record = record }
            if let status = updates.statuses[offset] { state.servicing.loans[index].loan.status = status }
        }
        // A restore for a line not stored changes nothing (as SQLite's UPDATE of no row).
        for (lineID, amount) in updates.lineRestores {
            guard var line = state.servicing.lines[lineID] else { continue }
            line.line.drawnPrincipal = max(.zero, line.line.drawnPrincipal - amount)
            state.servicing.lines[lineID] = line
        }
        add(entries)
    }
}
