import Foundation
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStore
import LendingTestSupport
import Testing
import LendingLoanBook

/// Payouts on SQLite in memory and on disk, the payouts schema, and the simulated rail the CLI
/// uses. (The disburse and reconcile jobs' recovery from refusals, lost answers, intents that
/// never left and kills is `DisburseJobTests` in LendingLoanBookTests, on the in-memory store with
/// LendingTestSupport's `MemoryRail`.)
@Suite(.serialized) struct ServicingPayoutTests {
    @Test(arguments: [":memory:", "disk"])
    func everySignedLoanIsPaidOnceAndPosted(_ where: String) throws {
        let (store, rail) = try bookWithLoans(30, path: `where` == "disk" ? freshDatabase("payout-once") : ":memory:", pay: false)
        let summary = try disburse(store, rail, on: "2026-01-15", batchSize: 7)
        #expect(summary.sent == 30 && summary.answered.paid == 30 && summary.answered.failed == 0)
        let records = try rail.list()
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
        #expect(try rail.list().count == 30)
    }

    @Test func theSchemaKeepsOnePayoutThatDidNotFailPerLoanAndFinalPayoutsFinal() throws {
        let (store, _) = try bookWithLoans(1)
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { transaction in
                try transaction.insert(payouts: [Payout(loanID: "L0", attempt: 2, amount: Money(yuan: "10000")!, sentOn: CalendarDay(iso: "2026-01-16")!)])
            }
        }
        #expect(throws: (any Error).self) { try store.executeUnchecked("UPDATE payouts SET status = 'failed' WHERE key = 'L0'") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("DELETE FROM payouts") }
    }

    /// The job tests' in-memory rail draws each key's fate as the simulated rail does and, reopened
    /// with other faults, answers from the same records: both rails answer the same, batch for batch.
    @Test func theMemoryRailAnswersAsTheSimulatedRail() throws {
        let simulated = try freshRail("agrees", fail: 0.3, timeout: 0.3, seed: 42)
        let memory = MemoryRail(failRate: 0.3, timeoutRate: 0.3, seed: 42)
        func requests(_ range: Range<Int>, accountless: Bool = false) -> [PayoutRequest] {
            range.map { PayoutRequest(key: $0 % 7 == 0 ? "L\($0)#2" : "L\($0)", amount: Money(fen: 100_000 + Int64($0)),
                                      account: accountless && $0 % 50 == 0 ? "" : "6222020000000000001") }
        }
        let first = try simulated.pay(requests(0..<200, accountless: true))
        #expect(try memory.pay(requests(0..<200, accountless: true)) == first)
        #expect(first.filter { $0 == .paid }.count > 50 && first.filter { $0 == .noAnswer }.count > 20)
        #expect(first.filter { $0 == .failed(reason: "refused") }.count > 20 && first.filter { $0 == .failed(reason: "no_account") }.count == 4)
        // Reopened with other faults: the keys already received keep their fate, the new ones get the new rates.
        let again = try reopen(simulated, fail: 0.9, seed: 7).pay(requests(1..<50) + requests(200..<300))
        #expect(try memory.reopened(failRate: 0.9, seed: 7).pay(requests(1..<50) + requests(200..<300)) == again)
        #expect(again.prefix(49).allSatisfy { $0 != .noAnswer } && again.suffix(100).filter { $0 == .paid }.count < 30)
        func rows(_ records: [RailRecord]) -> [String] { records.map { "\($0.key) \($0.amount) \($0.status.rawValue) \($0.at.secondsSinceEpoch)" } }
        #expect(try rows(simulated.list()) == rows(memory.list()))
        #expect(try rows(Array(simulated.records(keys: ["L3", "L7#2", "L250", "L999"]).values).sorted { $0.key < $1.key })
                == rows(Array(memory.records(keys: ["L3", "L7#2", "L250", "L999"]).values).sorted { $0.key < $1.key }))
        // A key is one payout: another amount for it is refused, and nothing of that batch is executed.
        let reused = [PayoutRequest(key: "L400", amount: Money(fen: 1), account: "6222020000000000001"),
                      PayoutRequest(key: "L3", amount: Money(fen: 1), account: "6222020000000000001")]
        #expect(throws: (any Error).self) { try simulated.pay(reused) }
        #expect(throws: LendingError.self) { try memory.pay(reused) }
        #expect(try simulated.records(keys: ["L400"]).isEmpty && memory.records(keys: ["L400"]).isEmpty)
    }
}
