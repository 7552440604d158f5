import Foundation
import LendingDisbursement
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingTestSupport
import Testing
import LendingLoanBook

/// A rail that stops the process at a chosen moment: before executing a batch, or after executing
/// it but before the answers get back (as a kill would).
final class InterruptedRail: PaymentRail, @unchecked Sendable { // the jobs call a rail from one thread at a time
    struct Killed: Error {}
    let inner: any PaymentRail
    var callsLeft: Int
    let executeBeforeDying: Bool

    init(_ inner: any PaymentRail, callsLeft: Int, executeBeforeDying: Bool) {
        self.inner = inner
        self.callsLeft = callsLeft
        self.executeBeforeDying = executeBeforeDying
    }

    func pay(_ requests: [PayoutRequest]) throws -> [RailAnswer] {
        if callsLeft == 0 {
            if executeBeforeDying { _ = try inner.pay(requests) }
            throw Killed()
        }
        callsLeft -= 1
        return try inner.pay(requests)
    }

    func records(keys: [String]) throws -> [String: RailRecord] { try inner.records(keys: keys) }
}

func paidKeysByLoan(_ rail: MemoryRail) -> [String: Int] {
    var counts: [String: Int] = [:]
    for record in rail.list() where record.status == .paid { counts[Payout.parse(key: record.key).loanID, default: 0] += 1 }
    return counts
}

/// Payouts, reconciliation and recovery from faults and kills, on the in-memory store and rail.
/// (The same on SQLite in memory and on disk, and the payouts schema, are `ServicingPayoutTests`
/// in LendingStoreTests.)
@Suite(.serialized) struct DisburseJobTests {
    /// `everySignedLoanIsPaidOnceAndPosted` of LendingStoreTests, on the in-memory store and rail.
    @Test func everySignedLoanIsPaidOnceAndPosted() throws {
        let (store, rail) = try bookWithLoans(30, pay: false)
        let summary = try disburse(store, rail, on: "2026-01-15", batchSize: 7)
        #expect(summary.sent == 30 && summary.answered.paid == 30 && summary.answered.failed == 0)
        let records = rail.list()
        #expect(records.count == 30)
        #expect(Set(records.map(\.key)) == Set((0..<30).map { "L\($0)" }))
        #expect(records.allSatisfy { $0.status == .paid && $0.amount == Money(yuan: "10000")! })
        let paid = try #require(try loan(store, "L7"))
        #expect(paid.status == .active)
        #expect(paid.state?.disbursedOn == CalendarDay(iso: "2026-01-15")! && paid.state?.outstandingPrincipal == Money(yuan: "10000")!)
        let entries = try journal(store)
        #expect(entries.count == 30 && entries.allSatisfy { $0.entry.kind == .disbursement })
        #expect(try verify(store).holds)
        #expect(try disburse(store, rail, on: "2026-01-16").sent == 0)
        #expect(rail.list().count == 30)
    }

    @Test func loansSignedAfterTheBusinessDateWaitForIt() throws {
        let store = InMemoryStore()
        try storeApplications(store, [ApplicationSpec(id: "L1", decidedAt: Instant(iso: "2026-01-20T09:00:00+08:00")!)])
        _ = try signer().run(.allApproved, store: store)
        let rail = MemoryRail()
        #expect(try disburse(store, rail, on: "2026-01-19").sent == 0)
        #expect(try disburse(store, rail, on: "2026-01-20").answered.paid == 1)
    }

    @Test func aRefusedPayoutIsRetriedByTheNextRunWithTheNextAttemptKey() throws {
        let (store, rail) = try bookWithLoans(4, pay: false)
        let refused = try disburse(store, reopen(rail, fail: 1), on: "2026-01-15")
        #expect(refused.answered.failed == 4)
        #expect(try loan(store, "L0")?.status == .signed)
        #expect(try verify(store).holds)
        let retried = try disburse(store, rail, on: "2026-01-16")
        #expect(retried.answered.paid == 4)
        #expect(rail.list().map { "\($0.key) \($0.status.rawValue)" }.sorted()
                == ["L0 failed", "L0#2 paid", "L1 failed", "L1#2 paid", "L2 failed", "L2#2 paid", "L3 failed", "L3#2 paid"])
        #expect(try loan(store, "L2")?.state?.disbursedOn == CalendarDay(iso: "2026-01-16")!)
        #expect(try verify(store).holds)
    }

    @Test func aLostAnswerIsSettledFromTheRailsRecordWithoutPayingAgain() throws {
        let (store, rail) = try bookWithLoans(5, pay: false)
        let lost = try disburse(store, reopen(rail, timeout: 1), on: "2026-01-15")
        #expect(lost.answered.unknown == 5)
        #expect(try loan(store, "L0")?.status == .signed)
        #expect(rail.list().allSatisfy { $0.status == .paid })
        let counts = try ReconcileJob(asOf: CalendarDay(iso: "2026-01-17")!, products: .standard).run(store: store, rail: rail)
        #expect(counts.paid == 5 && counts.failed == 0 && counts.notAtRail == 0)
        let settled = try #require(try loan(store, "L3"))
        #expect(settled.status == .active && settled.state?.disbursedOn == CalendarDay(iso: "2026-01-15")!)
        #expect(rail.list().count == 5)
        #expect(try verify(store).holds)
    }

    @Test func anIntentThatNeverReachedTheRailIsSentAgainWithTheSameKey() throws {
        let (store, rail) = try bookWithLoans(5, pay: false)
        let day = CalendarDay(iso: "2026-01-15")!
        try store.withServicingTransaction { transaction in
            try transaction.insert(payouts: (0..<5).map { Payout(loanID: "L\($0)", attempt: 1, amount: Money(yuan: "10000")!, sentOn: day) })
        }
        let asked = try ReconcileJob(asOf: day, products: .standard).run(store: store, rail: rail)
        #expect(asked.notAtRail == 5 && asked.paid == 0)
        #expect(rail.list().isEmpty)
        let run = try disburse(store, rail, on: "2026-01-16")
        #expect(run.reconciled.notAtRail == 5 && run.sent == 5 && run.answered.paid == 5)
        #expect(rail.list().map(\.key).sorted() == ["L0", "L1", "L2", "L3", "L4"])
        #expect(try loan(store, "L0")?.state?.disbursedOn == day)
        #expect(try verify(store).holds)
    }

    @Test func aBatchTheRailExecutedBeforeAKillIsRecordedAndNotPaidAgain() throws {
        let (store, rail) = try bookWithLoans(6, pay: false)
        let dying = InterruptedRail(rail, callsLeft: 1, executeBeforeDying: true)
        #expect(throws: LendingError.self) {
            try DisburseJob(asOf: CalendarDay(iso: "2026-01-15")!, products: .standard, protector: servicingProtector, batchSize: 4)
                .run(store: store, rail: dying)
        }
        #expect(rail.list().count == 6)
        #expect(try verify(store).holds)
        let run = try disburse(store, rail, on: "2026-01-15")
        #expect(run.reconciled.paid == 2 && run.sent == 0)
        #expect(rail.list().count == 6)
        #expect(paidKeysByLoan(rail).values.allSatisfy { $0 == 1 })
        #expect(try verify(store).holds)
    }

    /// Random faults and kills at random batches, run after run: after every run the ledger
    /// holds and the rail has paid each loan at most once; in the end each loan exactly once.
    @Test func killsAndFaultsNeverPayALoanTwice() throws {
        for seed in UInt64(1)...6 {
            let (store, rail) = try bookWithLoans(40, pay: false)
            var random = SplitMix64(seed: seed)
            var runs = 0
            while try store.readServicing({ try $0.loansAwaitingPayout(after: .start, through: CalendarDay(iso: "2026-02-01")!, limit: 1) }).count > 0
                    || runs < 5 {
                runs += 1
                let faulty = reopen(rail, fail: 0.2, timeout: 0.2, seed: random.next())
                let job = DisburseJob(asOf: CalendarDay(iso: "2026-01-15")!, products: .standard, protector: servicingProtector, batchSize: 6)
                if runs < 12 {
                    let dying = InterruptedRail(faulty, callsLeft: Int(random.next() % 5), executeBeforeDying: random.next() % 2 == 0)
                    _ = try? job.run(store: store, rail: dying)
                } else {
                    _ = try job.run(store: store, rail: faulty)
                    _ = try ReconcileJob(asOf: CalendarDay(iso: "2026-01-15")!, products: .standard).run(store: store, rail: faulty)
                }
                #expect(try verify(store).holds, "seed \(seed) run \(runs)")
                #expect(paidKeysByLoan(rail).values.allSatisfy { $0 == 1 }, "seed \(seed) run \(runs)")
                #expect(runs < 60)
                if runs >= 60 { break }
            }
            let paid = paidKeysByLoan(rail)
            #expect(paid.count == 40 && paid.values.allSatisfy { $0 == 1 }, "seed \(seed)")
            #expect(try verify(store).payouts >= 40)
        }
    }
}
