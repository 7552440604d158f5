import Foundation
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import Testing
import LendingLoanBook

/// What verification finds in a book changed through the ports. (Rows edited or removed with SQL
/// behind the store's back, and the schema's guards, are `ServicingLedgerTests` in LendingStoreTests.)
@Suite(.serialized) struct LedgerVerificationTests {
    func book() throws -> InMemoryStore {
        let (store, _) = try bookWithLoans(3)
        try endOfDay(store, "2026-01-18")
        return store
    }

    /// (Was `UPDATE loan_daily SET interest_receivable = interest_receivable + 1 WHERE id = 2` on SQLite:
    /// the same change, one fen on L1's interest receivable, saved through the port.)
    @Test func verifyFindsALoanWhoseBalancesDisagreeWithItsLedger() throws {
        let store = try book()
        try store.withServicingTransaction { transaction in
            var state = try #require(try transaction.loans(["L1"])["L1"]?.state)
            state.interestReceivable = state.interestReceivable + Money(fen: 1)
            try transaction.save(states: [state])
        }
        #expect(try verify(store).problems == ["loan L1 holds principal 10000.00, interest 15.01, penalty 0.00, overpayment 0.00 but its ledger accounts hold 10000.00, 15.00, 0.00, 0.00"])
    }
}
