import Foundation
import LendingDecisioning
import LendingDisbursement
import LendingFraud
import LendingLedger
import LendingModel
import LendingServicing
import LendingStore
import LendingTestSupport
import Testing
import LendingStorePorts
import LendingLoanBook

// The loan-book fixtures for the tests of SQLite itself (its schema guards, rows changed with SQL,
// storage in memory and on disk). They take the store ports; only `bookWithLoans` opens a
// `SQLiteStore`. The job tests are in LendingLoanBookTests and LendingPostLoanTests, on the
// in-memory store.

let servicingProtector = LoanBookFixtures.protector
let chinaOffset = LoanBookFixtures.chinaOffset
typealias ApplicationSpec = LoanBookFixtures.Application

func personalData(_ spec: ApplicationSpec) -> [UInt8] { LoanBookFixtures.personalData(spec) }

func storeApplications(_ store: any DecisionStore, _ specs: [ApplicationSpec]) throws { try LoanBookFixtures.storeApplications(store, specs) }

func signer(_ products: ProductCatalog = .standard) -> AgreementJob { LoanBookFixtures.signer(products) }

/// A SQLite store with `count` installment loans L0.. approved, signed and (unless `pay` is false) paid out on 2026-01-15.
func bookWithLoans(_ count: Int, path: String = ":memory:", months: Int = 3, pay: Bool = true) throws -> (SQLiteStore, SimulatedRail) {
    let rail = try freshRail("book-\(count)-\(path.hashValue)")
    return (try LoanBookFixtures.book(count, in: SQLiteStore(path: path), rail: rail, months: months, pay: pay), rail)
}

/// A fresh simulated rail file.
func freshRail(_ name: String, fail: Double = 0, timeout: Double = 0, seed: UInt64 = 1) throws -> SimulatedRail {
    let path = freshDatabase("rail-" + name)
    return try SimulatedRail(path: path, failRate: fail, timeoutRate: timeout, seed: seed, clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
}

/// The same rail file with other faults.
func reopen(_ rail: SimulatedRail, fail: Double = 0, timeout: Double = 0, seed: UInt64 = 1) throws -> SimulatedRail {
    try SimulatedRail(path: rail.path, failRate: fail, timeoutRate: timeout, seed: seed, clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
}

@discardableResult
func disburse(_ store: any ServicingStore, _ rail: any PaymentRail, on day: String, batchSize: Int = 500) throws -> DisburseJob.Summary {
    try LoanBookFixtures.disburse(store, rail, on: day, batchSize: batchSize)
}

@discardableResult
func endOfDay(_ store: any ServicingStore, _ day: String, threads: Int = 2, batchSize: Int = 10_000) throws -> EndOfDayJob.Summary {
    try LoanBookFixtures.endOfDay(store, day, threads: threads, batchSize: batchSize)
}

func loan(_ store: any ServicingStore, _ id: String) throws -> StoredLoan? { try LoanBookFixtures.loan(store, id) }

func journal(_ store: any ServicingStore) throws -> [SealedEntry] { try LoanBookFixtures.journal(store) }

func verify(_ store: any ServicingStore) throws -> LedgerVerification { try LedgerVerification.run(store: store) }
