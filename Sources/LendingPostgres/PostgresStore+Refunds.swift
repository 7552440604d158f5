import LendingDisbursement
import LendingModel
import LendingStorePorts

/// The refunds table on PostgreSQL (migration `v8-refunds`): as on SQLite, with the key in the
/// "C" collation, so that keys compare and sort by their bytes as SQLite and memory sort them.
extension PostgresServicingTransaction {
    // MARK: Refunds

    static let refundColumns = "loan_id, number, amount, status, requested_on, settled_on, reason, entry_sequence, return_sequence"

    static func refund(_ row: StoredRow) throws -> StoredRefund {
        StoredRefund(refund: Refund(loanID: try row.text(0), number: try row.integer(1), amount: try row.money(2),
                                    status: PayoutStatus(rawValue: try row.text(3)) ?? .unknown, requestedOn: try row.day(4),
                                    settledOn: try row.optionalDay(5), reason: try row.optionalText(6)),
                     entrySequence: try row.int(7), returnSequence: try row.optionalInt(8))
    }

    func refunds(loanID: String) throws -> [StoredRefund] {
        try session.query("SELECT \(Self.refundColumns) FROM refunds WHERE loan_id = $1 ORDER BY number", [loanID]).map(Self.refund)
    }

    func refundsInFlight(after key: String, limit: Int) throws -> [StoredRefund] {
        try session.query("SELECT \(Self.refundColumns) FROM refunds WHERE status IN ('sent', 'unknown') AND key > $1 ORDER BY key LIMIT $2",
                          [key, Int64(limit)]).map(Self.refund)
    }

    func forEachRefund(_ body: (StoredRefund) throws -> Void) throws {
        var after = ""
        while true {
            let rows = try session.query("SELECT \(Self.refundColumns), key FROM refunds WHERE key > $1 ORDER BY key LIMIT 10000", [after])
            guard let last = rows.last else { return }
            after = try last.text(9)
            for row in rows { try body(try Self.refund(row)) }
        }
    }

    func insert(refund stored: StoredRefund) throws {
        let refund = stored.refund
        try session.send("""
            INSERT INTO refunds (key, loan_id, number, amount, status, requested_on, settled_on, reason, entry_sequence, return_sequence)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [refund.key, refund.loanID, Int64(refund.number), refund.amount.fen, refund.status.rawValue, Int64(refund.requestedOn.daysSinceEpoch),
                  refund.settledOn.map { Int64($0.daysSinceEpoch) }, refund.reason, stored.entrySequence, stored.returnSequence])
    }

    /// Writes every column: the schema refuses a refund already final and a change to what never
    /// changes (`refunds_guard`), and a return sequence that does not go with the status (a check).
    func update(refund stored: StoredRefund) throws {
        let refund = stored.refund
        guard let current = try session.query("SELECT \(Self.refundColumns) FROM refunds WHERE key = $1", [refund.key]).first.map(Self.refund) else {
            throw PostgresStoreError(code: "store.refund", message: "refund \(refund.key) is not stored; record it before its answer", location: nil)
        }
        // The same refund as stored (an answer recorded twice) changes nothing.
        guard current != stored else { return }
        try session.send("""
            UPDATE refunds SET loan_id = $2, number = $3, amount = $4, status = $5, requested_on = $6, settled_on = $7, reason = $8,
                entry_sequence = $9, return_sequence = $10
            WHERE key = $1
            """, [refund.key, refund.loanID, Int64(refund.number), refund.amount.fen, refund.status.rawValue, Int64(refund.requestedOn.daysSinceEpoch),
                  refund.settledOn.map { Int64($0.daysSinceEpoch) }, refund.reason, stored.entrySequence, stored.returnSequence])
    }
}
