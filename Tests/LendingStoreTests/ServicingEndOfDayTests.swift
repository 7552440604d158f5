import Foundation
import LendingLedger
import LendingModel
import LendingServicing
import LendingStore
import Testing

/// Entries by id, with their postings (the order of a day-by-day run and a catch-up differ).
func entriesByID(_ store: SQLiteStore) throws -> [String: [Posting]] {
    var result: [String: [Posting]] = [:]
    for row in try journal(store) { result[row.entry.id] = row.entry.postings }
    return result
}

func states(_ store: SQLiteStore) throws -> [String: LoanState] {
    var result: [String: LoanState] = [:]
    try store.forEachLoan { loan in result[loan.loanID] = loan.state }
    return result
}

@Suite(.serialized) struct ServicingEndOfDayTests {
    @Test func aDayAccruesEveryLoanOnceAndRunningItAgainChangesNothing() throws {
        let (store, _) = try bookWithLoans(20)
        let first = try endOfDay(store, "2026-01-20")
        #expect(first.loans == 20 && first.entries == 100)
        let state = try #require(try loan(store, "L3")?.state)
        #expect(state.interestReceivable == Money(yuan: "25.00")! && state.processedThrough == CalendarDay(iso: "2026-01-20")!)
        let entries = try journal(store)
        let again = try endOfDay(store, "2026-01-20")
        #expect(again.loans == 0 && again.entries == 0)
        #expect(try journal(store) == entries)
        #expect(try endOfDay(store, "2026-01-19").loans == 0)
        #expect(try verify(store).holds)
    }

    @Test func missedDaysAreCaughtUpExactlyAsDayByDay() throws {
        let (daily, _) = try bookWithLoans(12, path: freshDatabase("day-by-day"), months: 2)
        let (once, _) = try bookWithLoans(12, path: freshDatabase("catch-up"), months: 2)
        var day = CalendarDay(iso: "2026-01-16")!
        while day <= CalendarDay(iso: "2026-04-20")! {
            try endOfDay(daily, day.description)
            day = day.adding(days: 1)
        }
        let summary = try endOfDay(once, "2026-04-20")
        #expect(summary.loans == 12 && summary.installmentsDue == 24)
        #expect(try states(daily) == states(once))
        #expect(try entriesByID(daily) == entriesByID(once))
        #expect(try verify(daily).holds && verify(once).holds)
    }

    @Test func theJournalDoesNotDependOnThreadsOrBatchSize() throws {
        let (one, _) = try bookWithLoans(25, path: freshDatabase("one-thread"))
        let (two, _) = try bookWithLoans(25, path: freshDatabase("two-threads"))
        try endOfDay(one, "2026-03-01", threads: 1, batchSize: 1_000)
        try endOfDay(two, "2026-03-01", threads: 2, batchSize: 3)
        let left = try journal(one).map(\.entry)
        let right = try journal(two).map(\.entry)
        #expect(left.count == 25 * (1 + 45))
        #expect(left == right)
        #expect(try states(one) == states(two))
    }

    @Test func anUnpaidInstallmentAccruesPenaltyAfterGraceAndMovesThroughTheBuckets() throws {
        let (store, _) = try bookWithLoans(1)
        try endOfDay(store, "2026-02-20")
        var state = try #require(try loan(store, "L0")?.state)
        // Due 2026-02-15 and unpaid: 5 days past due; penalty for days 4 and 5 (grace 3) on the
        // unpaid principal 3280.23 at 0.27 / 365 = 2.4265 -> 2.43 a day.
        #expect(state.daysPastDue == 5 && state.bucket == "4-15")
        #expect(state.penaltyReceivable == Money(yuan: "4.86")!)
        try endOfDay(store, "2026-05-20")
        state = try #require(try loan(store, "L0")?.state)
        // Past 90 days income is no longer recognised: the penalty still owed is kept as a memo
        // amount (no interest accrues after the last due date, 2026-04-15).
        #expect(state.daysPastDue == 94 && state.bucket == "90+" && state.nonAccrual)
        #expect(state.memoPenalty.fen > 0 && state.memoInterest == .zero)
        #expect(try verify(store).holds)
    }

    @Test func aLoanPaidOffIsNotReadAgain() throws {
        let (store, _) = try bookWithLoans(2)
        _ = try repay(store, try csvFile("payoff-eod", ["payment_id,loan_id,paid_at,amount", "P1,L0,2026-01-20,10025.00"]))
        #expect(try loan(store, "L0")?.status == .paidOff)
        #expect(try endOfDay(store, "2026-01-25").loans == 1)
        #expect(try verify(store).holds)
    }
}

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

    @Test func verifyFindsALoanWhoseBalancesDisagreeWithItsLedger() throws {
        let store = try book("balances")
        try store.executeUnchecked("UPDATE loan_daily SET interest_receivable = interest_receivable + 1 WHERE id = 2")
        #expect(try verify(store).problems == ["loan L1 holds principal 10000.00, interest 15.01, penalty 0.00, overpayment 0.00 but its ledger accounts hold 10000.00, 15.00, 0.00, 0.00"])
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
