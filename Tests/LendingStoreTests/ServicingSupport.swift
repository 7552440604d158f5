import Foundation
import LendingDecisioning
import LendingDisbursement
import LendingFraud
import LendingLedger
import LendingModel
import LendingServicing
import LendingStore
import Testing
import LendingStorePorts
import LendingLoanBook

let servicingProtector = PersonalDataProtector(secret: Array(repeating: 9, count: 32))
let chinaOffset: Int64 = 8 * 3_600

/// An application decided as `lending apply` would store it.
struct ApplicationSpec {
    var id: String
    var product = "installment"
    var limit = Money(yuan: "10000")!
    var apr = AnnualRate(decimal: "0.1825")!
    var months = 3
    var decidedAt = Instant(iso: "2026-01-15T10:00:00+08:00")!
    var outcome = DecisionRecord.Outcome.approve
    var card = "6222020000000000001"
}

/// The applicant's personal data, sealed as the application path seals it.
func personalData(_ spec: ApplicationSpec) -> [UInt8] {
    servicingProtector.seal(Array(["王五 \(spec.id)", "11010519491231002X", "13800000000", spec.card, "北京市", "测试公司", ""]
        .joined(separator: "\u{1F}").utf8))
}

/// Stores applications with chained decisions.
func storeApplications(_ store: SQLiteStore, _ specs: [ApplicationSpec]) throws {
    try store.withTransaction { transaction in
        var previous = try transaction.chainHead()
        for spec in specs {
            let record = DecisionChain.seal(
                DecisionRecord(applicationID: spec.id, decidedAt: spec.decidedAt, outcome: spec.outcome,
                               approvedLimit: spec.outcome == .approve ? spec.limit : .zero, apr: spec.outcome == .approve ? spec.apr : .zero,
                               score: 500, reasons: [], inputsHash: String(repeating: "ab", count: 32), modelVersion: "m@1", policyVersion: "p@1"),
                after: previous)
            let application = StoredApplication(
                applicationID: spec.id, appliedAt: spec.decidedAt, product: spec.product, channel: "app", merchantID: nil,
                requestedAmount: spec.limit, amountCap: Money(yuan: "50000")!, termMonths: spec.months, personKey: String(repeating: "0a", count: 32),
                keys: FraudKeys(person: 1, phone: nil, bankCard: nil, device: nil, ip: nil, contactPhone: nil, address: nil),
                personalData: personalData(spec), inputsHash: String(repeating: "ab", count: 32), decisionSequence: record.sequence)
            try transaction.insert(application, decision: record)
            previous = record
        }
    }
}

func signer(_ products: ProductCatalog = .standard) -> AgreementJob {
    AgreementJob(products: products, protector: servicingProtector, utcOffsetSeconds: chinaOffset)
}

/// A store with `count` installment loans L0.. approved, signed and (unless `pay` is false) paid out on 2026-01-15.
func bookWithLoans(_ count: Int, path: String = ":memory:", months: Int = 3, pay: Bool = true) throws -> (SQLiteStore, SimulatedRail) {
    let store = try SQLiteStore(path: path)
    try storeApplications(store, (0..<count).map { ApplicationSpec(id: "L\($0)", months: months) })
    _ = try signer().run(.allApproved, store: store)
    let rail = try freshRail("book-\(count)-\(path.hashValue)")
    if pay { _ = try disburse(store, rail, on: "2026-01-15") }
    return (store, rail)
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
func disburse(_ store: SQLiteStore, _ rail: SimulatedRail, on day: String, batchSize: Int = 500) throws -> DisburseJob.Summary {
    try DisburseJob(asOf: CalendarDay(iso: day)!, products: .standard, protector: servicingProtector, batchSize: batchSize).run(store: store, rail: rail)
}

@discardableResult
func endOfDay(_ store: SQLiteStore, _ day: String, threads: Int = 2, batchSize: Int = 10_000) throws -> EndOfDayJob.Summary {
    try EndOfDayJob(asOf: CalendarDay(iso: day)!, products: .standard, batchSize: batchSize, threads: threads).run(store: store)
}

/// Writes a CSV file and returns its path.
func csvFile(_ name: String, _ lines: [String]) throws -> String {
    let path = freshDatabase(name) + ".csv"
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func loan(_ store: SQLiteStore, _ id: String) throws -> StoredLoan? {
    try store.readServicing { try $0.loans([id])[id] }
}

func journal(_ store: SQLiteStore) throws -> [SealedEntry] {
    var rows: [SealedEntry] = []
    _ = try store.forEachJournalRow { rows.append($0) }
    return rows
}

func verify(_ store: SQLiteStore) throws -> LedgerVerification { try LedgerVerification.run(store: store) }
