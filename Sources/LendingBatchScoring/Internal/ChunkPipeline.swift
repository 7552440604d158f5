import LendingCSV
import LendingModel
import LendingScoring

/// A rejected row, located relative to its chunk until the writer knows the chunk's first line.
struct RowReject: Sendable {
    var relativeLine: Int
    var column: Int
    var reason: String
    var raw: String
}

/// What a worker made of one chunk.
struct ChunkResult: Sendable {
    var output: [UInt8] = []
    /// Row-number mode: where each output line fragment ends, and its record index in the chunk.
    var lineEnds: [Int32] = []
    var rowRecords: [Int32] = []
    var records = 0
    var newlines = 0
    var scored = 0
    var rejects: [RowReject] = []
    /// Set when rows are not set aside: the first bad row, where processing stopped.
    var stoppedAt: RowReject?
    /// An oversized record skipped by the reader.
    var oversized: (prefix: [UInt8], newlines: Int)?
}

/// Reader thread -> worker threads -> the calling thread writing in input order.
final class ChunkPipeline: @unchecked Sendable { // its vars are read and written only under `monitor`
    private let job: BatchScoreJob
    private let plan: ColumnPlan
    private let layout: OutputLayout
    private let chunker: CSVChunker
    private let firstChunk: CSVChunk

    private let monitor = ConditionLock()
    private var pending: [CSVChunk?] = []
    private var pendingHead = 0
    private var results: [Int: ChunkResult] = [:]
    private var readerDone = false
    private var readerError: CSVError?
    private var itemsPushed = 0
    private var inFlight = 0
    private var cancelled = false
    private var bytesRead: Int64 = 0
    private let maxInFlight: Int

    init(job: BatchScoreJob, plan: ColumnPlan, layout: OutputLayout, chunker: CSVChunker, firstChunk: CSVChunk) {
        self.job = job
        self.plan = plan
        self.layout = layout
        self.chunker = chunker
        self.firstChunk = firstChunk
        self.maxInFlight = job.threads * 3
    }

    func run(firstLine: Int, output: OutputFile, rejects: OutputFile?, totalBytes: Int64?, started: Double,
             progress: (@Sendable (BatchScoreJob.Progress) -> Void)?) throws -> BatchScoreJob.Summary {
        monitor.withLock {
            pending.append(firstChunk)
            itemsPushed = 1
            inFlight = 1
            bytesRead = Int64(firstChunk.count)
        }
        let reader = WorkerThread { [self] in readLoop() }
        let workers = (0..<job.threads).map { _ in WorkerThread { [self] in workLoop() } }
        defer {
            monitor.withLock {
                cancelled = true
                monitor.broadcast()
            }
            reader.join()
            workers.forEach { $0.join() }
        }

        var summary = BatchScoreJob.Summary(rows: 0, scored: 0, rejected: 0, warnings: [], seconds: 0)
        var line = firstLine
        var nextProgress = started + 0.5
        var writeBuffer = ByteSink(capacity: 1 << 20)
        var rejectBuffer = CSVOutputBuffer(capacity: 1 << 12)
        var sequence = 0
        while true {
            let (next, failure, finished, read): (ChunkResult?, CSVError?, Bool, Int64) = monitor.withLock {
                while results[sequence] == nil && !(readerDone && sequence >= itemsPushed) && readerError == nil {
                    monitor.wait()
                }
                if let result = results.removeValue(forKey: sequence) {
                    inFlight -= 1
                    monitor.broadcast()
                    return (result, nil, false, bytesRead)
                }
                if let readerError { return (nil, readerError, false, bytesRead) }
                return (nil, nil, true, bytesRead)
            }
            if let failure {
                var error = failure
                if error.location == nil { error.location = SourceLocation(file: job.inputPath, line: line, column: 1) }
                throw BatchScoreError(error, file: job.inputPath)
            }
            if finished { break }
            guard let result = next else { break }
            sequence += 1

            if let oversized = result.oversized {
                let reason = "the record is longer than \(job.maxRecordBytes) bytes; is a quote left open?"
                guard rejects != nil else {
                    throw BatchScoreError(.recordTooLong, reason + " Fix the row, or pass --rejects FILE to set such rows aside",
                                          at: SourceLocation(file: job.inputPath, line: line, column: 1))
                }
                var raw = String(decoding: oversized.prefix, as: UTF8.self)
                raw += "…"
                rejectBuffer.appendRecord([String(line), "1", reason, raw])
                summary.rows += 1
                summary.rejected += 1
                line += oversized.newlines
            } else {
                if let stop = result.stoppedAt {
                    throw BatchScoreError(code: "score.bad_row", stop.reason + "; fix the row, or pass --rejects FILE to set such rows aside",
                                          at: SourceLocation(file: job.inputPath, line: line + stop.relativeLine, column: stop.column))
                }
                if layout.headerNames.first == "row" && plan.idColumn == nil {
                    writeBuffer.removeAll()
                    writeBuffer.reserve(result.output.count + 20 * result.lineEnds.count)
                    var start = 0
                    let firstRow = Int64(summary.rows + 1)
                    result.output.withUnsafeBytes { bytes in
                        result.lineEnds.withUnsafeBufferPointer { lineEnds in
                            result.rowRecords.withUnsafeBufferPointer { rowRecords in
                                for index in 0..<lineEnds.count {
                                    let end = Int(lineEnds[index])
                                    writeBuffer.writeInt(firstRow + Int64(rowRecords[index]))
                                    writeBuffer.writeBytes(UnsafeRawBufferPointer(start: bytes.baseAddress! + start, count: end - start))
                                    start = end
                                }
                            }
                        }
                    }
                    try output.write(writeBuffer.bytes)
                } else {
                    try result.output.withUnsafeBytes { (bytes) throws in try output.write(bytes) }
                }
                for reject in result.rejects {
                    rejectBuffer.appendRecord([String(line + reject.relativeLine), String(reject.column), reject.reason, reject.raw])
                }
                summary.rows += result.records
                summary.scored += result.scored
                summary.rejected += result.rejects.count
                line += result.newlines
            }
            if let rejects, rejectBuffer.count > 0 {
                try rejects.write(rejectBuffer)
                rejectBuffer.removeAll()
            }
            if let progress {
                let now = monotonicSeconds()
                if now >= nextProgress {
                    nextProgress = now + 0.5
                    progress(.init(rows: summary.rows, bytesRead: read, totalBytes: totalBytes, seconds: now - started))
                }
            }
        }
        return summary
    }

    private func readLoop() {
        while true {
            let stop: Bool = monitor.withLock {
                while inFlight >= maxInFlight && !cancelled { monitor.wait() }
                if !cancelled { inFlight += 1 }
                return cancelled
            }
            if stop { return }
            do {
                let item = try chunker.next()
                monitor.withLock {
                    switch item {
                    case nil:
                        inFlight -= 1
                        readerDone = true
                    case .chunk(let chunk)?:
                        pending.append(chunk)
                        itemsPushed += 1
                        bytesRead += Int64(chunk.count)
                    case .oversizedRecord(let sequence, let prefix, let newlines, _)?:
                        var result = ChunkResult()
                        result.oversized = (prefix, newlines)
                        results[sequence] = result
                        itemsPushed += 1
                    }
                    monitor.broadcast()
                }
                if case .none = item { return }
            } catch {
                monitor.withLock {
                    inFlight -= 1
                    readerError = error
                    readerDone = true
                    monitor.broadcast()
                }
                return
            }
        }
    }

    private func workLoop() {
        var worker = ChunkWorker(job: job, plan: plan, layout: layout)
        while true {
            let chunk: CSVChunk? = monitor.withLock {
                while pendingHead == pending.count && !readerDone && !cancelled { monitor.wait() }
                if cancelled || pendingHead == pending.count { return nil }
                let chunk = pending[pendingHead]
                pending[pendingHead] = nil // the queue must not keep a taken chunk alive
                pendingHead += 1
                if pendingHead > 64 {
                    pending.removeFirst(pendingHead)
                    pendingHead = 0
                }
                return chunk
            }
            guard let chunk else { return }
            let result = worker.process(chunk)
            monitor.withLock {
                results[chunk.sequence] = result
                monitor.broadcast()
            }
        }
    }
}

