import LendingModel
import LendingStorePorts

/// Suspense receipts, with the refusals of SQLite's `suspense_receipts` table: one per id, a
/// positive amount, recorded held; moved to a loan once (loan, date and entry together), final
/// then; id, date, amount and entry sequence never change.
extension MemoryServicingTransaction {
    // MARK: Suspense

    func suspenseReceipt(receiptID: String) throws -> StoredSuspenseReceipt? {
        state.servicing.suspenseReceipts[receiptID]
    }

    func forEachSuspenseReceipt(_ body: (StoredSuspenseReceipt) throws -> Void) throws {
        for id in state.servicing.suspenseReceipts.keys.sorted(by: precedesInBinaryOrder) {
            if let receipt = state.servicing.suspenseReceipts[id] { try body(receipt) }
        }
    }

    func insert(suspenseReceipt receipt: StoredSuspenseReceipt) throws {
        try requireWritable()
        guard state.servicing.suspenseReceipts[receipt.receiptID] == nil else { throw InMemoryStoreError.duplicate("suspense receipt \(receipt.receiptID)") }
        guard receipt.amount.fen > 0 else { throw InMemoryStoreError.constraint("suspense receipt \(receipt.receiptID) needs a positive amount") }
        guard receipt.loanID == nil, receipt.appliedOn == nil, receipt.applySequence == nil else {
            throw InMemoryStoreError.constraint("suspense receipt \(receipt.receiptID) is new: it is recorded held, not moved to a loan")
        }
        state.servicing.suspenseReceipts[receipt.receiptID] = receipt
    }

    func update(suspenseReceipt receipt: StoredSuspenseReceipt) throws {
        try requireWritable()
        guard let current = state.servicing.suspenseReceipts[receipt.receiptID] else {
            throw InMemoryStoreError(code: "store.suspense", message: "receipt \(receipt.receiptID) is not stored; record it before moving it")
        }
        guard current != receipt else { return }
        guard current.isHeld else { throw InMemoryStoreError(code: "store.suspense", message: "receipt \(receipt.receiptID) was moved to a loan; it is final") }
        guard receipt.receivedOn == current.receivedOn, receipt.amount == current.amount, receipt.entrySequence == current.entrySequence else {
            throw InMemoryStoreError(code: "store.suspense", message: "receipt \(receipt.receiptID) keeps its id, date, amount and entry")
        }
        guard (receipt.loanID == nil) == (receipt.appliedOn == nil), (receipt.loanID == nil) == (receipt.applySequence == nil) else {
            throw InMemoryStoreError.constraint("receipt \(receipt.receiptID) is moved with its loan, date and entry together")
        }
        state.servicing.suspenseReceipts[receipt.receiptID] = receipt
    }
}
