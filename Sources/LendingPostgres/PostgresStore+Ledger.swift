import Foundation
import LendingLedger
import LendingModel
import LendingStorePorts
import NIOCore
import PostgresNIO

/// A write transaction's journal: the head, read once (the servicing lock keeps every other
/// writer out until commit), and the entries appended since the last write, written together
/// (before the commit, before the journal is read, or every 20,000 entries). A repayment's
/// three journal statements thus join the transaction's others in a few statements.
final class JournalBuffer { // one transaction's, on its thread
    var head: ChainHead?
    var pending: [SealedEntry] = []
}

/// The journal on PostgreSQL: the same rows as on SQLite (`journal`, `postings`, `journal_head`),
/// written with one statement per table and batch (each column bound as an array), so that every
/// entry's legs arrive in one statement, where a trigger checks that they balance. The head moves in
/// the same transaction; the servicing lock makes its writer the only one.
extension PostgresServicingTransaction {
    func journalHead() throws -> ChainHead {
        if let head = journal.head { return head }
        guard let row = try session.query("SELECT sequence, hash FROM journal_head WHERE id = 1").first else { return .genesis }
        let head = ChainHead(sequence: try row.int(0), hash: ChainHash(stored: try row.bytes(1)))
        if writable { journal.head = head }
        return head
    }

    func append(_ entries: [SealedEntry]) throws {
        guard let first = entries.first, let last = entries.last else { return }
        guard writable else {
            throw PostgresStoreError(code: "store.read_only", message: "a read snapshot cannot append to the journal", location: nil)
        }
        let head = try journalHead()
        guard first.sequence == head.sequence + 1, first.previousHash == head.hash else {
            throw PostgresStoreError(code: "store.chain",
                                     message: "entries to append start at \(first.sequence) but the journal ends at \(head.sequence); another process wrote meanwhile: run again",
                                     location: nil)
        }
        var previous = head
        for sealed in entries {
            guard sealed.sequence == previous.sequence + 1, sealed.previousHash == previous.hash else {
                throw PostgresStoreError(code: "store.chain",
                                         message: "entry \(sealed.sequence) does not continue entry \(previous.sequence) of the batch; nothing is appended",
                                         location: nil)
            }
            previous = ChainHead(sequence: sealed.sequence, hash: sealed.hash)
        }
        journal.pending += entries
        journal.head = ChainHead(sequence: last.sequence, hash: last.hash)
        if journal.pending.count >= 20_000 { try flushJournal() }
    }

    /// Writes the entries appended since the last write, and the head.
    func flushJournal() throws {
        guard let last = journal.pending.last else { return }
        let entries = journal.pending
        journal.pending.removeAll()
        for chunk in entries.chunked(by: 20_000) {
            var binds = PostgresBindings(capacity: 11)
            binds.append(chunk.map(\.sequence))
            binds.append(chunk.map(\.entry.id))
            binds.append(chunk.map { Int64($0.entry.date.daysSinceEpoch) })
            binds.append(chunk.map(\.entry.kind.rawValue))
            binds.append(chunk.map { $0.entry.loanID ?? "" })
            binds.append(chunk.map { $0.entry.loanID != nil })
            binds.append(chunk.map { $0.entry.reverses ?? "" })
            binds.append(chunk.map { $0.entry.reverses != nil })
            binds.append(chunk.map(\.entry.memo))
            binds.append(chunk.map { ByteBuffer(bytes: $0.previousHash.bytes) })
            binds.append(chunk.map { ByteBuffer(bytes: $0.hash.bytes) })
            try session.send("""
                INSERT INTO journal (sequence, id, date, kind, loan_id, reverses, memo, previous_hash, hash)
                SELECT sequence, id, date, kind, CASE WHEN has_loan THEN loan_id END, CASE WHEN has_reverses THEN reverses END, memo, previous_hash, hash
                FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::boolean[], $9::text[],
                    $10::bytea[], $11::bytea[]) AS t(sequence, id, date, kind, loan_id, has_loan, reverses, has_reverses, memo, previous_hash, hash)
                """, binds: binds)
            var sequences: [Int64] = []
            var legs: [Int64] = []
            var accounts: [Int64] = []
            var sides: [Int64] = []
            var amounts: [Int64] = []
            for sealed in chunk {
                for (leg, posting) in sealed.entry.postings.enumerated() {
                    sequences.append(sealed.sequence)
                    legs.append(Int64(leg))
                    accounts.append(Int64(posting.account.kind.code))
                    sides.append(posting.side == .debit ? 0 : 1)
                    amounts.append(posting.amount.fen)
                }
            }
            var postings = PostgresBindings(capacity: 5)
            for column in [sequences, legs, accounts, sides, amounts] { postings.append(column) }
            try session.send("""
                INSERT INTO postings (sequence, leg, account, side, amount)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
                """, binds: postings)
        }
        try session.send("UPDATE journal_head SET sequence = $1, hash = $2 WHERE id = 1", [last.sequence, Bytes(last.hash.bytes)])
    }

    /// Streams the journal with its postings, a page of entries at a time.
    /// - Returns: the number of posting rows stored.
    func forEachJournalRow(_ body: (SealedEntry) throws -> Void) throws -> Int {
        try flushJournal()
        var after: Int64 = 0
        while true {
            let entries = try session.query("""
                SELECT sequence, id, date, kind, loan_id, reverses, memo, previous_hash, hash FROM journal WHERE sequence > $1 ORDER BY sequence LIMIT 20000
                """, [after])
            guard let lastRow = entries.last else { break }
            let upTo = try lastRow.int(0)
            var legs: [Int64: [(account: Int64, side: Int64, amount: Int64)]] = [:]
            for row in try session.query("SELECT sequence, account, side, amount FROM postings WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence, leg",
                                         [after, upTo]) {
                legs[try row.int(0), default: []].append((try row.int(1), try row.int(2), try row.int(3)))
            }
            for row in entries {
                let sequence = try row.int(0)
                let loanID = try row.optionalText(4)
                let postings = (legs[sequence] ?? []).map { leg in
                    Posting(leg.side == 0 ? .debit : .credit, AccountID(storedCode: leg.account, loanID: loanID), Money(fen: leg.amount))
                }
                let entry = JournalEntry(id: try row.text(1), date: try row.day(2), kind: JournalEntry.Kind(rawValue: try row.text(3)) ?? .adjustment,
                                         loanID: loanID, postings: postings, reverses: try row.optionalText(5), memo: try row.text(6))
                try body(SealedEntry(sequence: sequence, previousHash: ChainHash(stored: try row.bytes(7)), hash: ChainHash(stored: try row.bytes(8)),
                                     entry: entry))
            }
            after = upTo
        }
        return try session.query("SELECT count(*) FROM postings").first?.integer(0) ?? 0
    }
}
