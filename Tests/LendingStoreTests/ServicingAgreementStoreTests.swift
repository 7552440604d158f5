import Foundation
import LendingModel
import LendingStore
import LendingStorePorts
import Testing
import LendingLoanBook

/// The agreements table as SQLite guards it. (What the agreement job signs and seals is
/// `AgreementJobTests` in LendingLoanBookTests, on the in-memory store.)
@Suite(.serialized) struct ServicingAgreementStoreTests {
    /// The two SQL statements that were the end of `theAgreementKeepsTheTextSealedAndItsHashInClear`
    /// before the job tests moved, on the same book.
    @Test func agreementsCannotBeChangedThroughSQL() throws {
        let store = try SQLiteStore(path: ":memory:")
        try storeApplications(store, [ApplicationSpec(id: "A1"), ApplicationSpec(id: "A2", product: "revolving", limit: Money(yuan: "20000")!,
                                                                                  apr: AnnualRate(decimal: "0.144")!),
                                      ApplicationSpec(id: "A3", outcome: .decline), ApplicationSpec(id: "A4", outcome: .review)])
        _ = try signer().run(.allApproved, store: store)
        #expect(try store.readServicing { try $0.agreement(applicationID: "A1") } != nil)
        #expect(throws: (any Error).self) { try store.executeUnchecked("UPDATE agreements SET amount = 1") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("DELETE FROM agreements") }
    }
}
