// Servicing at scale, outside package-benchmark's harness (its malloc and ARC instrumentation
// would dominate calls of this size):
//
//   swift run -c release ServicingBenchmarks seed --db /tmp/book.sqlite --loans 1000000
//       builds a book of N installment loans: applications and approvals stored as `apply`
//       stores them, signed by AgreementJob, paid out by DisburseJob through the simulated rail
//       (PATH.rail.sqlite), all on 2026-11-01. --db may be a PostgreSQL URL (the database is
//       created, and must be empty; the rail is --rail PATH, the personal-data key
//       LENDING_DATA_KEY). Then time the real command:
//       /usr/bin/time -v .build/release/lending eod --db /tmp/book.sqlite --as-of 2026-11-02
//   swift run -c release ServicingBenchmarks repay-latency --db /tmp/book.sqlite --paid-on 2026-11-02 [--payments 20000] [--durable 2000]
//       one payment at a time on distinct loans, dated --paid-on (on or after the book's last end
//       of day): (a) posted inside one transaction (compute and write, the commit amortised over
//       the batch), (b) each in its own durable transaction (synchronous=FULL commit).
import Foundation
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPostgres
import LendingServicing
import LendingStore
import LendingStorePorts
import LendingLoanBook

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
}

func option(_ name: String, _ fallback: String? = nil) -> String {
    let arguments = CommandLine.arguments
    if let index = arguments.firstIndex(of: name), index + 1 < arguments.count { return arguments[index + 1] }
    guard let fallback else { fatalError("\(name) is required") }
    return fallback
}

let start = CalendarDay(iso: option("--start", "2026-11-01"))!
let path = option("--db")

func seed() throws {
    let count = Int(option("--loans", "1000000"))!
    let chunk = 50_000
    let store: any LendingDatabase
    let protector: PersonalDataProtector
    let railPath: String
    if case .postgres(let url) = LendingDatabaseURL(path) {
        try PostgresStore.createDatabase(url: url)
        let postgres = try PostgresStore(url: url)
        guard try postgres.chainHead() == nil else { fatalError("\(postgres.location) already holds a book") }
        protector = try PersonalDataProtector.forDatabase(at: ":memory:", environment: ProcessInfo.processInfo.environment)
        guard ProcessInfo.processInfo.environment["LENDING_DATA_KEY"] != nil else { fatalError("set LENDING_DATA_KEY for a PostgreSQL book") }
        try postgres.checkDataKey(protector)
        store = postgres
        railPath = option("--rail")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: railPath + suffix) }
    } else {
        for suffix in ["", "-wal", "-shm", ".key", ".rail.sqlite", ".rail.sqlite-wal", ".rail.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
        store = try SQLiteStore(path: path)
        protector = try PersonalDataProtector.forDatabase(at: path, environment: [:])
        railPath = path + ".rail.sqlite"
    }
    let decided = Instant(secondsSinceEpoch: Int64(start.daysSinceEpoch) * 86_400 + 3_600)
    let terms = [3, 6, 9, 12, 18, 24]
    var clock = ContinuousClock.now
    var previous: DecisionRecord?
    var random = SplitMix64(seed: 42)
    for first in stride(from: 0, to: count, by: chunk) {
        let ids = (first..<min(first + chunk, count)).map { String(format: "B-%07d", $0 + 1) }
        try store.withTransaction { transaction in
            var rows: [(application: StoredApplication, decision: DecisionRecord)] = []
            rows.reserveCapacity(ids.count)
            for id in ids {
                let limit = Money(fen: Int64(1_000 + random.next() % 490) * 10_000)
                let apr = AnnualRate(partsPerMillion: [108_000, 144_000, 180_000, 216_000][Int(random.next() % 4)])
                let record = DecisionChain.seal(
                    DecisionRecord(applicationID: id, decidedAt: decided, outcome: .approve, approvedLimit: limit, apr: apr, score: 520,
                                   reasons: [], inputsHash: String(repeating: "ab", count: 32), modelVersion: "bench@1", policyVersion: "bench@1"),
                    after: previous)
                previous = record
                let card = "622202" + String(format: "%013d", random.next() % 10_000_000_000_000)
                let personal = protector.seal(Array(["测试", "110105199001010011", "13800000000", card, "", "", ""].joined(separator: "\u{1F}").utf8))
                rows.append((StoredApplication(
                    applicationID: id, appliedAt: decided, product: "installment", channel: "app", merchantID: nil, requestedAmount: limit,
                    amountCap: Money(fen: 5_000_000), termMonths: terms[Int(random.next() % UInt64(terms.count))], personKey: String(repeating: "0a", count: 32),
                    keys: FraudKeys(person: random.next(), phone: nil, bankCard: nil, device: nil, ip: nil, contactPhone: nil, address: nil),
                    personalData: personal, inputsHash: String(repeating: "ab", count: 32), decisionSequence: record.sequence), record))
            }
            try transaction.insert(rows)
        }
        _ = try AgreementJob(products: .standard, protector: protector, utcOffsetSeconds: 8 * 3_600).run(.applications(ids), store: store)
        if (first / chunk) % 5 == 4 { print("\(ids.count + first) applications stored and signed") }
    }
    print("stored and signed \(count) in \(String(format: "%.1f", seconds(since: clock)))s")
    clock = ContinuousClock.now
    let rail = try SimulatedRail(path: railPath, clock: { Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) })
    let summary = try DisburseJob(asOf: start, products: .standard, protector: protector, batchSize: 2_000).run(store: store, rail: rail)
    let elapsed = seconds(since: clock)
    print("disbursed \(summary.answered.paid) loans in \(String(format: "%.1f", elapsed))s (\(Int(Double(summary.answered.paid) / elapsed))/s)")
}

func percentile(_ sorted: [Double], _ share: Double) -> String {
    String(format: "%.3f ms", sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))] * 1_000)
}

func repayLatency() throws {
    let count = Int(option("--payments", "20000"))!
    let durableCount = Int(option("--durable", "2000"))!
    let store = try SQLiteStore(path: path)
    let poster = RepaymentPoster(products: .standard)
    var ids: [String] = []
    try store.forEachLoan { loan in if loan.status == .active, ids.count < count + durableCount { ids.append(loan.loanID) } }
    guard ids.count == count + durableCount else { fatalError("the book has fewer than \(count + durableCount) active loans") }
    let day = CalendarDay(iso: option("--paid-on", start.adding(days: 1).description))!
    let runID = UInt64(Date().timeIntervalSince1970)
    var inBatch: [Double] = []
    inBatch.reserveCapacity(count)
    let batchClock = ContinuousClock.now
    try store.withServicingTransaction { transaction in
        for (index, loanID) in ids.prefix(count).enumerated() {
            let payment = Payment(id: "bench-\(runID)-a\(index)", loanID: loanID, date: day, amount: Money(fen: 10_000))
            let clock = ContinuousClock.now
            _ = try poster.post(payment, in: transaction)
            inBatch.append(seconds(since: clock))
        }
    }
    let batchTotal = seconds(since: batchClock)
    var durable: [Double] = []
    durable.reserveCapacity(count)
    for (index, loanID) in ids.suffix(durableCount).enumerated() {
        let payment = Payment(id: "bench-\(runID)-b\(index)", loanID: loanID, date: day, amount: Money(fen: 10_000))
        let clock = ContinuousClock.now
        _ = try store.withServicingTransaction { transaction in try poster.post(payment, in: transaction) }
        durable.append(seconds(since: clock))
    }
    inBatch.sort()
    durable.sort()
    print("one repayment posted inside a batch transaction (\(count) payments, commit amortised; whole batch with commit \(String(format: "%.2f", batchTotal))s):",
          "p50", percentile(inBatch, 0.5), "p99", percentile(inBatch, 0.99), "p99.9", percentile(inBatch, 0.999), "max", percentile(inBatch, 1))
    print("one repayment in its own durable transaction (\(durableCount) payments, synchronous=FULL commit each):",
          "p50", percentile(durable, 0.5), "p99", percentile(durable, 0.99), "p99.9", percentile(durable, 0.999), "max", percentile(durable, 1))
}

switch CommandLine.arguments.dropFirst().first {
case "seed": try seed()
case "repay-latency": try repayLatency()
default: print("usage: ServicingBenchmarks seed|repay-latency --db PATH [--loans N] [--payments N] [--start 2026-11-01]")
}
