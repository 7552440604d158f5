import Foundation
import LendingLedger
import LendingModel
import LendingServicing
import LendingStore
import Testing

/// The journal as SQLite keeps it: its guards, and what verification finds in rows changed with
/// SQL behind the store's back. (End of day itself is `EndOfDayJobTests`, and a loan's balances
/// changed through the ports `LedgerVerificationTests`, in LendingLoanBookTests on the in-memory store.)
@Suite(.serialized) struct ServicingLedgerTests {
    func book(_ name: String) throws -> SQLiteStore {
        let (store, _) = try bookWithLoans(3, path: freshDatabase(name))
        try endOfDay(store, "2026-01-18")
        return store
    }

    func dropGuards(_ store: SQLiteStore) throws {
        try store.executeUnchecked("""
            DROP TRIGGER journal_is_append_only_update; DROP TRIGGER journal_is_append_only_delete;
            DROP TRIGGER postings_are_append_only_update; DROP TRIGGER postings_are_append_only_delete
            """)
    }

    @Test func journalRowsCannotBeChangedThroughSQL() throws {
        let store = try book("guards")
        #expect(throws: (any Error).self) { try store.executeUnchecked("UPDATE journal SET memo = 'x' WHERE sequence = 2") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("DELETE FROM journal WHERE sequence = 12") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("UPDATE postings SET amount = 1") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("DELETE FROM postings") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("DELETE FROM journal_head") }
        #expect(try verify(store).holds)
        #expect(try verify(store).entries == 12)
    }

    @Test func verifyFindsAnEditedPosting() throws {
        let store = try book("edited")
        try dropGuards(store)
        try store.executeUnchecked("UPDATE postings SET amount = amount + 100 WHERE sequence = 5 AND leg = 0")
        let result = try verify(store)
        #expect(result.problems.first == "journal entry 5 was edited: its hash does not match its contents")
        #expect(result.problems.contains("1 journal entries do not balance"))
        #expect(!result.holds)
    }

    @Test func verifyFindsADeletedEntryInTheMiddle() throws {
        let store = try book("deleted")
        try dropGuards(store)
        try store.executeUnchecked("DELETE FROM postings WHERE sequence = 7; DELETE FROM journal WHERE sequence = 7")
        let result = try verify(store)
        #expect(result.problems.first == "journal entry 7 is missing (found 8 next): an entry was removed")
        #expect(result.problems.contains { $0.hasPrefix("loan L") && $0.contains("but its ledger accounts hold") })
    }

    @Test func verifyFindsEntriesCutOffTheEnd() throws {
        let store = try book("cut")
        try dropGuards(store)
        try store.executeUnchecked("DELETE FROM postings WHERE sequence = 12; DELETE FROM journal WHERE sequence = 12")
        let result = try verify(store)
        #expect(result.problems.first?.hasPrefix("the journal ends at entry 11 but the recorded head is entry 12") == true)
    }

    @Test func verifyFindsAnEditedEntryWhoseHashWasRecomputed() throws {
        let store = try book("rehashed")
        try dropGuards(store)
        try store.executeUnchecked("UPDATE journal SET hash = zeroblob(32) WHERE sequence = 4")
        #expect(try verify(store).problems.first == "journal entry 4 was edited: its hash does not match its contents")
    }

    @Test func verifyFindsALoanPaidTwice() throws {
        let store = try book("paid-twice")
        try store.executeUnchecked("""
            DROP INDEX payouts_one_live_per_loan;
            INSERT INTO payouts (key, loan_id, attempt, amount, status, sent_on) VALUES ('L0#2', 'L0', 2, 1000000, 'paid', 20468)
            """)
        let problems = try verify(store).problems
        #expect(problems.contains("loan L0 was paid out 2 times (L0, L0#2)"))
    }

    @Test func aDailyEntryMustCarryItsOwnDate() throws {
        let store = try book("dates")
        #expect(throws: (any Error).self) {
            try store.executeUnchecked("""
                INSERT INTO journal (sequence, id, date, kind, loan_id, memo, previous_hash, hash)
                VALUES (100, 'accrue:L0:2026-01-19', 20000, 'accrual', 'L0', '', zeroblob(32), zeroblob(32))
                """)
        }
        #expect(throws: (any Error).self) {
            try store.executeUnchecked("""
                INSERT INTO journal (sequence, id, date, kind, loan_id, memo, previous_hash, hash)
                VALUES (100, 'accrue:L0:2026-01-16', 20469, 'adjustment', 'L0', '', zeroblob(32), zeroblob(32))
                """)
        }
    }
}
