import Foundation
import LendingDecisioning
import LendingDisbursement
import LendingFraud
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingTestSupport
import Testing
import LendingLoanBook

// The loan-book jobs' fixtures, over the store ports: the tests here run them on `InMemoryStore`
// with a `MemoryRail`; any adapter of the ports takes the same calls.

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

/// The same rail's records with other faults.
func reopen(_ rail: MemoryRail, fail: Double = 0, timeout: Double = 0, seed: UInt64 = 1) -> MemoryRail {
    rail.reopened(failRate: fail, timeoutRate: timeout, seed: seed)
}

@discardableResult
func disburse(_ store: any ServicingStore, _ rail: any PaymentRail, on day: String, batchSize: Int = 500) throws -> DisburseJob.Summary {
    try LoanBookFixtures.disburse(store, rail, on: day, batchSize: batchSize)
}

@discardableResult
func endOfDay(_ store: any ServicingStore, _ day: String, threads: Int = 2, batchSize: Int = 10_000) throws -> EndOfDayJob.Summary {
    try LoanBookFixtures.endOfDay(store, day, threads: threads, batchSize: batchSize)
}

func repay(_ store: any ServicingStore, _ path: String, rejects: String? = nil) throws -> RepayJob.Summary {
    try RepayJob(inputPath: path, rejectsPath: rejects, products: .standard).run(store: store)
}

/// A fresh path in this process's scratch directory (nothing is there yet).
func scratchPath(_ name: String) -> String {
    let path = ScratchFiles.directory("loan-book") + "/\(name)"
    ScratchFiles.remove(path)
    return path
}

/// Writes a CSV file and returns its path.
func csvFile(_ name: String, _ lines: [String]) throws -> String {
    let path = scratchPath(name + ".csv")
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func loan(_ store: any ServicingStore, _ id: String) throws -> StoredLoan? { try LoanBookFixtures.loan(store, id) }

func journal(_ store: any ServicingStore) throws -> [SealedEntry] { try LoanBookFixtures.journal(store) }

func verify(_ store: any ServicingStore) throws -> LedgerVerification { try LedgerVerification.run(store: store) }

/// Entries by id, with their postings (the order of a day-by-day run and a catch-up differ).
func entriesByID(_ store: any ServicingStore) throws -> [String: [Posting]] {
    var result: [String: [Posting]] = [:]
    for row in try journal(store) { result[row.entry.id] = row.entry.postings }
    return result
}

func states(_ store: any ServicingStore) throws -> [String: LoanState] {
    var result: [String: LoanState] = [:]
    try store.forEachLoan { loan in result[loan.loanID] = loan.state }
    return result
}
