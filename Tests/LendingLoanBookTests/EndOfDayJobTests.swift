import Foundation
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingTestSupport
import Testing

@Suite(.serialized) struct EndOfDayJobTests {
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
        let (daily, _) = try bookWithLoans(12, months: 2)
        let (once, _) = try bookWithLoans(12, months: 2)
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
        let (one, _) = try bookWithLoans(25)
        let (two, _) = try bookWithLoans(25)
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
