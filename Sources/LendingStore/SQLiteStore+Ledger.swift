import Foundation
import GRDB
import LendingLedger
import LendingModel
import LendingStorePorts

/// The journal in SQLite: one row per entry (`journal`: sequence, id, date as days since
/// 1970-01-01, kind, loan id, reverses, memo, previous hash and hash as 32-byte blobs), its
/// postings (`postings`: sequence, leg, account kind code, side 0 debit / 1 credit, amount in
/// fen; a loan account belongs to the entry's loan), and the chain head (`journal_head`),
/// updated in the same transaction as every append so that rows cut off the end are found.
/// Triggers refuse updates and deletes; the view `ledger_postings` shows postings with their
/// account names.
///
/// Entry ids are unique. Daily entries (`accrue:LOAN:DATE`, `apply:LOAN:DATE`) are indexed by
/// date, then id (their id ends with their date, which a CHECK enforces, so the pair is unique
/// exactly when the id is): a day's million new keys then go together at the end of the index,
/// where indexing them by id alone would insert one into nearly every page of an index that
/// grows by a million keys a day. Every other entry is indexed by its id.
extension SQLiteServicingTransaction {
    func journalHead() throws -> ChainHead {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM journal_head WHERE id = 1")) else {
            return .genesis
        }
        return ChainHead(sequence: row[0], hash: SQLiteServicingTransaction.chainHash(row[1]))
    }

    func append(_ entries: [SealedEntry]) throws {
        guard let first = entries.first, let last = entries.last else { return }
        let head = try journalHead()
        guard first.sequence == head.sequence + 1, first.previousHash == head.hash else {
            throw StoreError(code: "store.chain", message: "entries to append start at \(first.sequence) but the journal ends at \(head.sequence); another process wrote meanwhile: run again",
                             file: nil)
        }
        let entryColumns = 9
        var entryValues: [DatabaseValue] = []
        var postingValues: [DatabaseValue] = []
        var entryRows = 0
        var postingRows = 0
        let entriesPerStatement = 200
        let postingsPerStatement = 400
        func flushEntries() throws {
            guard entryRows > 0 else { return }
            try db.cachedStatement(sql: SQLiteServicingTransaction.insertJournal + rowPlaceholders(entryColumns, entryRows))
                .execute(arguments: StatementArguments(entryValues))
            entryValues.removeAll(keepingCapacity: true)
            entryRows = 0
        }
        func flushPostings() throws {
            guard postingRows > 0 else { return }
            try db.cachedStatement(sql: SQLiteServicingTransaction.insertPostings + rowPlaceholders(5, postingRows))
                .execute(arguments: StatementArguments(postingValues))
            postingValues.removeAll(keepingCapacity: true)
            postingRows = 0
        }
        entryValues.reserveCapacity(entriesPerStatement * entryColumns)
        postingValues.reserveCapacity(postingsPerStatement * 5)
        var previous = head
        for sealed in entries {
            // Every entry continues the one before it, not only the first the head.
            guard sealed.sequence == previous.sequence + 1, sealed.previousHash == previous.hash else {
                throw StoreError(code: "store.chain", message: "entry \(sealed.sequence) does not continue entry \(previous.sequence) of the batch; nothing is appended",
                                 file: nil)
            }
            previous = ChainHead(sequence: sealed.sequence, hash: sealed.hash)
            let entry = sealed.entry
            entryValues.append(sealed.sequence.databaseValue)
            entryValues.append(entry.id.databaseValue)
            entryValues.append(Int64(entry.date.daysSinceEpoch).databaseValue)
            entryValues.append(entry.kind.rawValue.databaseValue)
            entryValues.append(entry.loanID?.databaseValue ?? .null)
            entryValues.append(entry.reverses?.databaseValue ?? .null)
            entryValues.append(entry.memo.databaseValue)
            entryValues.append(SQLiteServicingTransaction.blob(sealed.previousHash))
            entryValues.append(SQLiteServicingTransaction.blob(sealed.hash))
            entryRows += 1
            if entryRows == entriesPerStatement { try flushEntries() }
            for (leg, posting) in entry.postings.enumerated() {
                postingValues.append(sealed.sequence.databaseValue)
                postingValues.append(Int64(leg).databaseValue)
                postingValues.append(Int64(posting.account.kind.code).databaseValue)
                postingValues.append(Int64(posting.side == .debit ? 0 : 1).databaseValue)
                postingValues.append(posting.amount.fen.databaseValue)
                postingRows += 1
                if postingRows == postingsPerStatement { try flushPostings() }
            }
        }
        try flushEntries()
        try flushPostings()
        try db.cachedStatement(sql: "UPDATE journal_head SET sequence = ?, hash = ? WHERE id = 1")
            .execute(arguments: [last.sequence, SQLiteServicingTransaction.blob(last.hash)])
    }

    static let insertJournal = "INSERT INTO journal (sequence, id, date, kind, loan_id, reverses, memo, previous_hash, hash) VALUES "
    static let insertPostings = "INSERT INTO postings (sequence, leg, account, side, amount) VALUES "

    /// A hash as a 32-byte blob.
    static func blob(_ hash: ChainHash) -> DatabaseValue { Data(hash.bytes).databaseValue }

    /// A stored hash (``ChainHash/init(stored:)``).
    static func chainHash(_ data: Data?) -> ChainHash { ChainHash(stored: data.map { [UInt8]($0) } ?? []) }
}

extension SQLiteServicingTransaction {
    /// Streams the journal with its postings (two ordered scans merged).
    /// - Returns: the number of posting rows stored.
    func forEachJournalRow(_ body: (SealedEntry) throws -> Void) throws -> Int {
        let entries = try Row.fetchCursor(db, sql: "SELECT sequence, id, date, kind, loan_id, reverses, memo, previous_hash, hash FROM journal ORDER BY sequence")
        let postings = try Row.fetchCursor(db, sql: "SELECT sequence, account, side, amount FROM postings ORDER BY sequence, leg")
        var pending: (sequence: Int64, account: Int64, side: Int64, amount: Int64)?
        var postingCount = 0
        func nextPosting() throws -> (sequence: Int64, account: Int64, side: Int64, amount: Int64)? {
            guard let row = try postings.next() else { return nil }
            postingCount += 1
            return (row[0], row[1], row[2], row[3])
        }
        pending = try nextPosting()
        while let row = try entries.next() {
            let sequence: Int64 = row[0]
            let loanID: String? = row[4]
            var legs: [Posting] = []
            while let posting = pending, posting.sequence <= sequence {
                if posting.sequence == sequence {
                    legs.append(Posting(posting.side == 0 ? .debit : .credit, AccountID(storedCode: posting.account, loanID: loanID),
                                        Money(fen: posting.amount)))
                }
                pending = try nextPosting()
            }
            let entry = JournalEntry(id: row[1], date: CalendarDay(daysSinceEpoch: Int(row[2] as Int64)),
                                     kind: JournalEntry.Kind(rawValue: row[3]) ?? .adjustment, loanID: loanID, postings: legs,
                                     reverses: row[5], memo: row[6])
            try body(SealedEntry(sequence: sequence, previousHash: SQLiteServicingTransaction.chainHash(row[7]),
                                 hash: SQLiteServicingTransaction.chainHash(row[8]), entry: entry))
        }
        while pending != nil { pending = try nextPosting() }
        return postingCount
    }
}
