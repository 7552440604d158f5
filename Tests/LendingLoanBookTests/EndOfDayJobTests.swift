import Foundation
import LendingLedger
import LendingLoanBook
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
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

    @Test func workersAndPartitionsRunEveryLoanOnceAsOneRunDoes() throws {
        let (whole, _) = try bookWithLoans(23)
        let (workers, _) = try bookWithLoans(23)
        let (partitioned, _) = try bookWithLoans(23)
        let asOf = CalendarDay(iso: "2026-03-01")!
        let single = try EndOfDayJob(asOf: asOf, products: .standard, threads: 1).run(store: whole)
        let parallel = try EndOfDayJob(asOf: asOf, products: .standard, batchSize: 4, threads: 2, workers: 3).run(store: workers)
        #expect(parallel.loans == 23 && parallel.entries == single.entries && parallel.installmentsDue == single.installmentsDue)
        var shares = 0
        for index in 0..<3 {
            let share = try #require(LoanPartition(index: index, count: 3))
            let run = try EndOfDayJob(asOf: asOf, products: .standard, batchSize: 5, partition: share).run(store: partitioned)
            #expect(run.loans > 0 && run.loans < 23, "share \(share) ran \(run.loans) loans")
            shares += run.loans
        }
        #expect(shares == 23)
        // The same loans and the same entries; only the order of the journal differs.
        #expect(try states(workers) == states(whole) && states(partitioned) == states(whole))
        #expect(try entriesByID(workers) == entriesByID(whole) && entriesByID(partitioned) == entriesByID(whole))
        #expect(try verify(workers).holds && verify(partitioned).holds)
        #expect(try EndOfDayJob(asOf: asOf, products: .standard, workers: 4).run(store: partitioned).loans == 0)
    }

    @Test func aBatchThatChangedSinceItWasComputedIsComputedAgainFromWhatIsStored() throws {
        // Repayments of every loan land after the first worker read its batch and before it writes
        // it: that batch is run again from the stored state, so no payment is lost or run twice.
        let (store, _) = try bookWithLoans(2)
        let (reference, _) = try bookWithLoans(2)
        let payments = try csvFile("eod-race", ["payment_id,loan_id,paid_at,amount", "P1,L0,2026-01-20,500.00", "P2,L1,2026-01-21,700.00"])
        let racing = RacingStore(store) { _ = try? repay(store, payments) }
        let run = try EndOfDayJob(asOf: CalendarDay(iso: "2026-01-25")!, products: .standard, threads: 1, workers: 2).run(store: racing)
        #expect(run.loans == 2 && run.recomputedBatches >= 1)
        _ = try repay(reference, payments)
        try endOfDay(reference, "2026-01-25")
        #expect(try states(store) == states(reference))
        #expect(try entriesByID(store) == entriesByID(reference))
        #expect(try verify(store).holds)
    }
}

/// A store that runs `between` once, after the first read snapshot and before the next write
/// transaction (where a worker has computed a batch and not yet written it).
final class RacingStore: ServicingStore, @unchecked Sendable { // `pending` is guarded by `lock`
    let base: InMemoryStore
    let between: () -> Void
    private let lock = NSLock()
    private var pending = false
    private var done = false

    init(_ base: InMemoryStore, between: @escaping () -> Void) {
        self.base = base
        self.between = between
    }

    func readServicing<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        let result = try base.readServicing(body)
        lock.withLock { if !done { pending = true } }
        return result
    }

    func withServicingTransaction<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        let run = lock.withLock { () -> Bool in
            guard pending, !done else { return false }
            done = true
            return true
        }
        if run { between() }
        return try base.withServicingTransaction(body)
    }
}
