import Foundation
import GRDB
import LendingDisbursement
import LendingModel
import LendingStorePorts

/// The refunds table (migration `v9-refunds`): one row per refund (key `LOAN#RN`, one per loan
/// and number), recorded `sent` with the sequence of its entry, final once paid or failed, with
/// the sequence of its return entry exactly when it failed. Its key, loan, number, amount, request
/// date and entry never change, and a row is never deleted (by triggers, as payouts).
extension SQLiteStore {
    static func migrateRefunds(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE refunds (
                key TEXT PRIMARY KEY NOT NULL,
                loan_id TEXT NOT NULL,
                number INTEGER NOT NULL CHECK (number >= 1),
                amount INTEGER NOT NULL CHECK (amount > 0),
                status TEXT NOT NULL CHECK (status IN ('sent', 'paid', 'failed', 'unknown')),
                requested_on INTEGER NOT NULL,
                settled_on INTEGER,
                reason TEXT,
                entry_sequence INTEGER NOT NULL,
                return_sequence INTEGER,
                UNIQUE (loan_id, number),
                CHECK ((status = 'failed') = (return_sequence IS NOT NULL))
            );
            CREATE INDEX refunds_in_flight ON refunds (key) WHERE status IN ('sent', 'unknown');
            CREATE TRIGGER refunds_start_sent BEFORE INSERT ON refunds WHEN NEW.status <> 'sent'
                BEGIN SELECT RAISE(ABORT, 'a new refund is sent (the intent); its answer is recorded by an update'); END;
            CREATE TRIGGER refunds_final BEFORE UPDATE ON refunds WHEN OLD.status IN ('paid', 'failed')
                BEGIN SELECT RAISE(ABORT, 'a paid or failed refund is final'); END;
            CREATE TRIGGER refunds_keep_their_identity BEFORE UPDATE OF key, loan_id, number, amount, requested_on, entry_sequence ON refunds
                WHEN NEW.key IS NOT OLD.key OR NEW.loan_id IS NOT OLD.loan_id OR NEW.number IS NOT OLD.number OR NEW.amount IS NOT OLD.amount
                    OR NEW.requested_on IS NOT OLD.requested_on OR NEW.entry_sequence IS NOT OLD.entry_sequence
                BEGIN SELECT RAISE(ABORT, 'a refund keeps its key, loan, number, amount, date and entry'); END;
            CREATE TRIGGER refunds_are_kept BEFORE DELETE ON refunds
                BEGIN SELECT RAISE(ABORT, 'refunds are never deleted'); END;
            """)
    }
}

extension SQLiteServicingTransaction {
    // MARK: Refunds

    static func refund(_ row: Row) -> StoredRefund {
        StoredRefund(refund: Refund(loanID: row["loan_id"], number: row["number"], amount: Money(fen: row["amount"]),
                                    status: PayoutStatus(rawValue: row["status"]) ?? .unknown,
                                    requestedOn: CalendarDay(daysSinceEpoch: Int(row["requested_on"] as Int64)),
                                    settledOn: (row["settled_on"] as Int64?).map { CalendarDay(daysSinceEpoch: Int($0)) }, reason: row["reason"]),
                     entrySequence: row["entry_sequence"], returnSequence: row["return_sequence"])
    }

    func refunds(loanID: String) throws -> [StoredRefund] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM refunds WHERE loan_id = ? ORDER BY number"), arguments: [loanID])
            .map(SQLiteServicingTransaction.refund)
    }

    func refundsInFlight(after key: String, limit: Int) throws -> [StoredRefund] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM refunds WHERE status IN ('sent', 'unknown') AND key > ? ORDER BY key LIMIT ?"),
                         arguments: [key, limit]).map(SQLiteServicingTransaction.refund)
    }

    func forEachRefund(_ body: (StoredRefund) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM refunds ORDER BY key")
        while let row = try rows.next() { try body(SQLiteServicingTransaction.refund(row)) }
    }

    func insert(refund stored: StoredRefund) throws {
        let refund = stored.refund
        try db.cachedStatement(sql: """
            INSERT INTO refunds (key, loan_id, number, amount, status, requested_on, settled_on, reason, entry_sequence, return_sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                refund.key, refund.loanID, Int64(refund.number), refund.amount.fen, refund.status.rawValue, Int64(refund.requestedOn.daysSinceEpoch),
                refund.settledOn.map { Int64($0.daysSinceEpoch) }, refund.reason, stored.entrySequence, stored.returnSequence,
            ])
    }

    /// Writes every column: the schema refuses a refund already final and a change to what never
    /// changes (triggers), and a return sequence that does not go with the status (a check).
    func update(refund stored: StoredRefund) throws {
        let refund = stored.refund
        guard let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM refunds WHERE key = ?"), arguments: [refund.key])
            .map(SQLiteServicingTransaction.refund) else {
            throw StoreError(code: "store.refund", message: "refund \(refund.key) is not stored; record it before its answer", file: nil)
        }
        // The same refund as stored (an answer recorded twice) changes nothing.
        guard current != stored else { return }
        try db.cachedStatement(sql: """
            UPDATE refunds SET loan_id = ?, number = ?, amount = ?, status = ?, requested_on = ?, settled_on = ?, reason = ?, entry_sequence = ?,
                return_sequence = ? WHERE key = ?
            """).execute(arguments: [
                refund.loanID, Int64(refund.number), refund.amount.fen, refund.status.rawValue, Int64(refund.requestedOn.daysSinceEpoch),
                refund.settledOn.map { Int64($0.daysSinceEpoch) }, refund.reason, stored.entrySequence, stored.returnSequence, refund.key,
            ])
    }
}
