import Foundation
import GRDB
import LendingModel
import LendingStorePorts

/// The suspense receipts table (migration `v10-suspense`): one row per receipt, held (no loan)
/// when recorded, then moved to a loan once: the loan, the date and the entry sequence of the
/// move all set together. Its id, date, amount and entry never change, a moved receipt is final,
/// and a row is never deleted (by triggers, as refunds).
extension SQLiteStore {
    static func migrateSuspense(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE suspense_receipts (
                receipt_id TEXT PRIMARY KEY NOT NULL,
                received_on INTEGER NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                entry_sequence INTEGER NOT NULL,
                loan_id TEXT,
                applied_on INTEGER,
                apply_sequence INTEGER,
                CHECK ((loan_id IS NULL) = (applied_on IS NULL) AND (loan_id IS NULL) = (apply_sequence IS NULL))
            );
            CREATE TRIGGER suspense_receipts_start_held BEFORE INSERT ON suspense_receipts WHEN NEW.loan_id IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'a new receipt is held in suspense; its move to a loan is an update'); END;
            CREATE TRIGGER suspense_receipts_final BEFORE UPDATE ON suspense_receipts WHEN OLD.loan_id IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'a receipt moved to a loan is final'); END;
            CREATE TRIGGER suspense_receipts_keep_their_identity BEFORE UPDATE OF receipt_id, received_on, amount, entry_sequence ON suspense_receipts
                WHEN NEW.receipt_id IS NOT OLD.receipt_id OR NEW.received_on IS NOT OLD.received_on OR NEW.amount IS NOT OLD.amount
                    OR NEW.entry_sequence IS NOT OLD.entry_sequence
                BEGIN SELECT RAISE(ABORT, 'a receipt keeps its id, date, amount and entry'); END;
            CREATE TRIGGER suspense_receipts_are_kept BEFORE DELETE ON suspense_receipts
                BEGIN SELECT RAISE(ABORT, 'suspense receipts are never deleted'); END;
            """)
    }
}

extension SQLiteServicingTransaction {
    // MARK: Suspense

    static func suspenseReceipt(_ row: Row) -> StoredSuspenseReceipt {
        StoredSuspenseReceipt(receiptID: row["receipt_id"], receivedOn: CalendarDay(daysSinceEpoch: Int(row["received_on"] as Int64)),
                              amount: Money(fen: row["amount"]), entrySequence: row["entry_sequence"], loanID: row["loan_id"],
                              appliedOn: (row["applied_on"] as Int64?).map { CalendarDay(daysSinceEpoch: Int($0)) }, applySequence: row["apply_sequence"])
    }

    func suspenseReceipt(receiptID: String) throws -> StoredSuspenseReceipt? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM suspense_receipts WHERE receipt_id = ?"), arguments: [receiptID])
            .map(SQLiteServicingTransaction.suspenseReceipt)
    }

    func forEachSuspenseReceipt(_ body: (StoredSuspenseReceipt) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM suspense_receipts ORDER BY receipt_id")
        while let row = try rows.next() { try body(SQLiteServicingTransaction.suspenseReceipt(row)) }
    }

    func insert(suspenseReceipt receipt: StoredSuspenseReceipt) throws {
        try db.cachedStatement(sql: """
            INSERT INTO suspense_receipts (receipt_id, received_on, amount, entry_sequence, loan_id, applied_on, apply_sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                receipt.receiptID, Int64(receipt.receivedOn.daysSinceEpoch), receipt.amount.fen, receipt.entrySequence, receipt.loanID,
                receipt.appliedOn.map { Int64($0.daysSinceEpoch) }, receipt.applySequence,
            ])
    }

    /// Writes every column: the schema refuses a receipt already moved and a change to what never
    /// changes (triggers), and a move with a field missing (a check).
    func update(suspenseReceipt receipt: StoredSuspenseReceipt) throws {
        guard let current = try suspenseReceipt(receiptID: receipt.receiptID) else {
            throw StoreError(code: "store.suspense", message: "receipt \(receipt.receiptID) is not stored; record it before moving it", file: nil)
        }
        guard current != receipt else { return }
        try db.cachedStatement(sql: """
            UPDATE suspense_receipts SET received_on = ?, amount = ?, entry_sequence = ?, loan_id = ?, applied_on = ?, apply_sequence = ?
            WHERE receipt_id = ?
            """).execute(arguments: [
                Int64(receipt.receivedOn.daysSinceEpoch), receipt.amount.fen, receipt.entrySequence, receipt.loanID,
                receipt.appliedOn.map { Int64($0.daysSinceEpoch) }, receipt.applySequence, receipt.receiptID,
            ])
    }
}
