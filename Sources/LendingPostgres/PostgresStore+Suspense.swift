import LendingModel
import LendingStorePorts

/// The suspense receipts table on PostgreSQL (migration `v9-suspense`): as on SQLite, with the id
/// in the "C" collation, so that ids compare and sort by their bytes as SQLite and memory sort them.
extension PostgresServicingTransaction {
    // MARK: Suspense

    static let suspenseColumns = "receipt_id, received_on, amount, entry_sequence, loan_id, applied_on, apply_sequence"

    static func suspenseReceipt(_ row: StoredRow) throws -> StoredSuspenseReceipt {
        StoredSuspenseReceipt(receiptID: try row.text(0), receivedOn: try row.day(1), amount: try row.money(2), entrySequence: try row.int(3),
                              loanID: try row.optionalText(4), appliedOn: try row.optionalDay(5), applySequence: try row.optionalInt(6))
    }

    func suspenseReceipt(receiptID: String) throws -> StoredSuspenseReceipt? {
        try session.query("SELECT \(Self.suspenseColumns) FROM suspense_receipts WHERE receipt_id = $1", [receiptID]).first.map(Self.suspenseReceipt)
    }

    func forEachSuspenseReceipt(_ body: (StoredSuspenseReceipt) throws -> Void) throws {
        var after = ""
        while true {
            let rows = try session.query("SELECT \(Self.suspenseColumns) FROM suspense_receipts WHERE receipt_id > $1 ORDER BY receipt_id LIMIT 10000", [after])
            guard let last = rows.last else { return }
            after = try last.text(0)
            for row in rows { try body(try Self.suspenseReceipt(row)) }
        }
    }

    func insert(suspenseReceipt receipt: StoredSuspenseReceipt) throws {
        try session.send("""
            INSERT INTO suspense_receipts (receipt_id, received_on, amount, entry_sequence, loan_id, applied_on, apply_sequence)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [receipt.receiptID, Int64(receipt.receivedOn.daysSinceEpoch), receipt.amount.fen, receipt.entrySequence, receipt.loanID,
                  receipt.appliedOn.map { Int64($0.daysSinceEpoch) }, receipt.applySequence])
    }

    /// Writes every column: the schema refuses a receipt already moved and a change to what never
    /// changes (`suspense_receipts_guard`), and a move with a field missing (a check).
    func update(suspenseReceipt receipt: StoredSuspenseReceipt) throws {
        guard let current = try suspenseReceipt(receiptID: receipt.receiptID) else {
            throw PostgresStoreError(code: "store.suspense", message: "receipt \(receipt.receiptID) is not stored; record it before moving it", location: nil)
        }
        guard current != receipt else { return }
        try session.send("""
            UPDATE suspense_receipts SET received_on = $2, amount = $3, entry_sequence = $4, loan_id = $5, applied_on = $6, apply_sequence = $7
            WHERE receipt_id = $1
            """, [receipt.receiptID, Int64(receipt.receivedOn.daysSinceEpoch), receipt.amount.fen, receipt.entrySequence, receipt.loanID,
                  receipt.appliedOn.map { Int64($0.daysSinceEpoch) }, receipt.applySequence])
    }
}
