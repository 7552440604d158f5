import Foundation
import LendingDecisioning
import LendingDisbursement
import LendingFraud
import LendingMemoryStore
import LendingModel
import LendingStorePorts
import LendingTestSupport
import LendingLoanBook

// The few loan-book fixtures the post-loan tests need, over the store ports (the full set is in
// LendingLoanBookTests' LoanBookSupport.swift): the tests here run on `InMemoryStore` with a `MemoryRail`.

let servicingProtector = LoanBookFixtures.protector
let chinaOffset = LoanBookFixtures.chinaOffset
typealias ApplicationSpec = LoanBookFixtures.Application

func personalData(_ spec: ApplicationSpec) -> [UInt8] { LoanBookFixtures.personalData(spec) }

func storeApplications(_ store: any DecisionStore, _ specs: [ApplicationSpec]) throws { try LoanBookFixtures.storeApplications(store, specs) }

func signer(_ products: ProductCatalog = .standard) -> AgreementJob { LoanBookFixtures.signer(products) }

/// `store` with `count` installment loans L0.. approved, signed and (unless `pay` is false) paid out on 2026-01-15 through `rail`.
@discardableResult
func bookWithLoans<Store: DecisionStore & ServicingStore>(_ count: Int, in store: Store, rail: any PaymentRail, months: Int = 3,
                                                          pay: Bool = true) throws -> Store {
    try LoanBookFixtures.book(count, in: store, rail: rail, months: months, pay: pay)
}

/// A fresh in-memory store with `count` installment loans L0.. approved, signed and (unless `pay`
/// is false) paid out on 2026-01-15, and the fresh in-memory rail that paid them.
func bookWithLoans(_ count: Int, months: Int = 3, pay: Bool = true) throws -> (InMemoryStore, MemoryRail) {
    let rail = MemoryRail()
    return (try bookWithLoans(count, in: InMemoryStore(), rail: rail, months: months, pay: pay), rail)
}

@discardableResult
func disburse(_ store: any ServicingStore, _ rail: any PaymentRail, on day: String, batchSize: Int = 500) throws -> DisburseJob.Summary {
    try LoanBookFixtures.disburse(store, rail, on: day, batchSize: batchSize)
}
