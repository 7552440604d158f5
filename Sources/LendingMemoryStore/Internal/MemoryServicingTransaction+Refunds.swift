import LendingDisbursement
import LendingModel
import LendingStorePorts

/// Refunds, with the refusals of SQLite's `refunds` table: one per key and per (loan, number), a
/// positive amount, recorded `sent`; final once paid or failed; key, loan, number, amount, request
/// date and entry sequence never change; a return sequence exactly when failed.
extension MemoryServicingTransaction {
    // MARK: Refunds

    func refunds(loanID: String) throws -> [StoredRefund] {
        (state.servicing.refundKeysByLoan[loanID] ?? []).compactMap { state.servicing.refunds[$0] }.sorted { $0.refund.number < $1.refund.number }
    }

    func refundsInFlight(after key: String, limit: Int) throws -> [StoredRefund] {
        let inFlight = state.servicing.refunds.values
            .filter { !$0.refund.status.isFinal && precedesInBinaryOrder(key, $0.refund.key) }
            .sorted { precedesInBinaryOrder($0.refund.key, $1.refund.key) }
        return limit < 0 ? inFlight : Array(inFlight.prefix(limit))
    }

    func forEachRefund(_ body: (StoredRefund) throws -> Void) throws {
        for key in state.servicing.refunds.keys.sorted(by: precedesInBinaryOrder) {
            if let stored = state.servicing.refunds[key] { try body(stored) }
        }
    }

    func insert(refund stored: StoredRefund) throws {
        try requireWritable()
        let refund = stored.refund
        let sameNumber = (state.servicing.refundKeysByLoan[refund.loanID] ?? []).contains { state.servicing.refunds[$0]?.refund.number == refund.number }
        guard state.servicing.refunds[refund.key] == nil, !sameNumber else {
            throw InMemoryStoreError.duplicate("refund \(refund.key)")
        }
        guard refund.number >= 1, refund.amount.fen > 0 else {
            throw InMemoryStoreError.constraint("refund \(refund.key) needs a number of at least 1 and a positive amount")
        }
        guard refund.status == .sent, stored.returnSequence == nil else {
            throw InMemoryStoreError.constraint("refund \(refund.key) is new: it is recorded sent (the intent), without a return entry")
        }
        state.servicing.refunds[refund.key] = stored
        state.servicing.refundKeysByLoan[refund.loanID, default: []].append(refund.key)
    }

    func update(refund stored: StoredRefund) throws {
        try requireWritable()
        let refund = stored.refund
        guard let current = state.servicing.refunds[refund.key] else {
            throw InMemoryStoreError(code: "store.refund", message: "refund \(refund.key) is not stored; record it before its answer")
        }
        // The same refund as stored (an answer recorded twice) changes nothing.
        guard current != stored else { return }
        guard !current.refund.status.isFinal else {
            throw InMemoryStoreError(code: "store.refund", message: "refund \(refund.key) is final (paid or failed)")
        }
        guard refund.loanID == current.refund.loanID, refund.number == current.refund.number, refund.amount == current.refund.amount,
              refund.requestedOn == current.refund.requestedOn, stored.entrySequence == current.entrySequence else {
            throw InMemoryStoreError(code: "store.refund", message: "refund \(refund.key) keeps its key, loan, number, amount, date and entry")
        }
        guard (refund.status == .failed) == (stored.returnSequence != nil) else {
            throw InMemoryStoreError.constraint("refund \(refund.key) has a return entry exactly when it failed")
        }
        state.servicing.refunds[refund.key] = stored
    }
}
