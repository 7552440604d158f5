import LendingLedger
import LendingModel
import Testing

@Suite struct JournalChainTests {
    @Test func anIntactChainVerifiesAgainstItsHead() throws {
        let rows = try sealedJournal(30)
        #expect(rows[0].previousHash == .genesis)
        #expect(rows[0].sequence == 1)
        #expect(rows[1].previousHash == rows[0].hash)
        #expect(JournalChain.verify(rows) == nil)
        #expect(JournalChain.verify(rows, expectedHead: rows[29].head) == nil)
        #expect(JournalChain.verify([SealedEntry](), expectedHead: .genesis) == nil)
    }

    @Test func sealingIsDeterministic() throws {
        let first = try sealedJournal(10)
        let second = try sealedJournal(10)
        #expect(first == second)
        #expect(JournalChain.hash(of: first[4]) == first[4].hash)
        #expect(first[4].hash.hex.count == 64)
        #expect(ChainHash(hex: first[4].hash.hex) == first[4].hash)
    }

    @Test func detectsAnEditedAmount() throws {
        var rows = try sealedJournal(30)
        rows[7].entry.postings[0].amount = fen(1)
        #expect(JournalChain.verify(rows) == .edited(index: 7, sequence: 8))
    }

    @Test func detectsEditsToEveryField() throws {
        let edits: [(inout JournalEntry) -> Void] = [
            { $0.id += "x" }, { $0.date = $0.date.adding(days: 1) }, { $0.kind = .adjustment }, { $0.loanID = nil },
            { $0.reverses = "r" }, { $0.memo = "m" }, { $0.postings.swapAt(0, 1) }, { $0.postings[0].side = .credit },
            { $0.postings[1].account = .suspense },
        ]
        for edit in edits {
            var rows = try sealedJournal(6)
            edit(&rows[4].entry)
            #expect(JournalChain.verify(rows) == .edited(index: 4, sequence: 5))
        }
    }

    @Test func lengthPrefixesKeepFieldBoundariesUnambiguous() throws {
        // Moving a character between the id and the memo keeps the concatenated text the same.
        let a = JournalEntry(id: "ab", date: day, kind: .adjustment, postings: [.debit(.fundingCash, fen(1)), .credit(.suspense, fen(1))], memo: "c")
        var b = a
        b.id = "a"
        b.memo = "bc"
        var chain = JournalChain()
        #expect(chain.digest(sequence: 1, previous: .genesis, entry: a) != chain.digest(sequence: 1, previous: .genesis, entry: b))
    }

    @Test func detectsADeletedRow() throws {
        var rows = try sealedJournal(30)
        rows.remove(at: 12)
        #expect(JournalChain.verify(rows) == .sequenceGap(index: 12, expected: 13, found: 14))
    }

    @Test func detectsADeletedRowEvenWhenSequencesAreRenumbered() throws {
        var rows = try sealedJournal(30)
        rows.remove(at: 12)
        for index in 12..<rows.count { rows[index].sequence = Int64(index + 1) }
        #expect(JournalChain.verify(rows) == .unlinked(index: 12, sequence: 13))
    }

    @Test func detectsAnEditWhoseHashWasRecomputed() throws {
        var rows = try sealedJournal(10)
        rows[4].entry.memo = "nothing to see"
        rows[4].hash = JournalChain.hash(of: rows[4])
        #expect(JournalChain.verify(rows) == .unlinked(index: 5, sequence: 6))
    }

    @Test func detectsSwappedRows() throws {
        var rows = try sealedJournal(10)
        rows.swapAt(3, 4)
        #expect(JournalChain.verify(rows) == .sequenceGap(index: 3, expected: 4, found: 5))
    }

    @Test func deletingTheLastRowIsFoundOnlyThroughTheRecordedHead() throws {
        var rows = try sealedJournal(10)
        let head = rows[9].head
        rows.removeLast()
        #expect(JournalChain.verify(rows) == nil)
        #expect(JournalChain.verify(rows, expectedHead: head) == .headMismatch(expected: head, found: rows[8].head))
    }

    @Test func sealingRefusesAnInvalidEntryAndKeepsTheHead() throws {
        var chain = JournalChain()
        _ = try chain.seal(sampleEntries()[0])
        let head = chain.head
        let bad = JournalEntry(id: "bad", date: day, kind: .adjustment, postings: [.debit(.fundingCash, fen(2)), .credit(.suspense, fen(1))])
        #expect(throws: LedgerError.self) { try chain.seal(bad) }
        #expect(chain.head == head)
    }

    @Test func reportsARowThatHashesButDoesNotBalance() throws {
        var rows = try sealedJournal(5)
        rows[3].entry.postings[0].amount = fen(7)
        rows[3].hash = JournalChain.hash(of: rows[3])
        // Re-link the rest, as a forger who rewrote the tail would.
        var chain = JournalChain(after: rows[3].head)
        rows[4] = try chain.seal(rows[4].entry)
        #expect(JournalChain.verify(rows) == .invalidEntry(index: 3, sequence: 4, code: "ledger.unbalanced"))
    }

    @Test func continuesAChainFromAStoredHead() throws {
        let rows = try sealedJournal(6)
        var chain = JournalChain(after: rows[2].head)
        let resealed = try rows[3...].map { try chain.seal($0.entry) }
        #expect(resealed == Array(rows[3...]))
    }
}
