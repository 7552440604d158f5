import Dispatch
import Foundation
import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingStorePorts

/// What `lending apply` does: read APPLICATIONS.csv, decide each application in file order, and
/// store every application with its decision in one transaction: all of the file or none of it.
/// DECISIONS.csv rows keep the input order. A row that cannot be decided stops the run (nothing
/// stored, no output) unless a rejects file is given.
public struct ApplyJob {
    public var inputPath: String
    /// DECISIONS.csv; `-` for standard output.
    public var outputPath: String
    public var rejectsPath: String?
    /// Writes each application's fraud features (for training a fraud model).
    public var featuresPath: String?

    public init(inputPath: String, outputPath: String = "-", rejectsPath: String? = nil, featuresPath: String? = nil) {
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.rejectsPath = rejectsPath
        self.featuresPath = featuresPath
    }

    public struct Summary: Sendable, Equatable {
        public var rows = 0
        public var approved = 0
        public var review = 0
        public var declined = 0
        public var rejected = 0
        /// Applications already decided with the same inputs (their stored decision is written).
        public var replayed = 0
        public var seconds = 0.0
    }

    public struct Progress: Sendable {
        public var rows: Int
        public var seconds: Double
    }

    public static let outputColumns = ["application_id", "outcome", "approved_limit", "apr", "score", "probability", "fraud_score", "reasons"]

    /// Runs the job.
    /// - Throws: ``CSVError`` for unreadable input or a bad header, ``ApplicationError`` (with its
    ///   location) for the first bad row without a rejects file, and the store's errors.
    public func run(processor: ApplicationProcessor, store: any DecisionStore,
                    progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        let started = monotonicSeconds()
        let output = try OutputFile(path: outputPath)
        let rejects = try rejectsPath.map { try OutputFile(path: $0) }
        let features = try featuresPath.map { try OutputFile(path: $0) }
        var summary = Summary()
        do {
            var buffer = CSVOutputBuffer(capacity: 1 << 16)
            var rejectBuffer = CSVOutputBuffer(capacity: 1 << 12)
            var featureBuffer = CSVOutputBuffer(capacity: 1 << 16)
            buffer.appendRecord(ApplyJob.outputColumns)
            rejectBuffer.appendRecord(["line", "column", "reason", "raw"])
            featureBuffer.appendRecord(["application_id"] + FraudFeatures.names)
            var lastProgress = started
            let queue = BatchQueue(capacity: 2)
            // The producer reads and prepares batches on the other core while this thread decides
            // and stores them in order: the fraud state and the chain need one writer.
            let producer = Producer(path: inputPath, keepRaw: rejects != nil, reader: processor.reader, preparer: processor.preparer, queue: queue)
            defer { queue.cancel() }
            try store.withTransaction { transaction in
                try processor.prepare(transaction)
                WorkerThread { producer.run() }.detach()
                var columnIndex: [String: Int] = [:]
                while let item = queue.pop() {
                    let batch: PreparedBatch
                    switch item {
                    case .failure(let error):
                        throw error
                    case .header(let names):
                        for (index, name) in names.enumerated() where columnIndex[name] == nil { columnIndex[name] = index }
                        let missing = processor.reader.requiredColumns.filter { columnIndex[$0] == nil }
                        if !missing.isEmpty {
                            throw ApplicationError(code: "apply.header", field: missing[0],
                                                   message: "the header lacks \(missing.map { "\"\($0)\"" }.joined(separator: ", ")); add the column\(missing.count > 1 ? "s" : "") (see lending apply --help)",
                                                   location: SourceLocation(file: inputPath, line: 1, column: 1))
                        }
                        continue
                    case .batch(let prepared):
                        batch = prepared
                    }
                    let outcomes = try processor.decide(batch: batch.prepared, in: transaction)
                    for (record, item) in zip(batch.records, outcomes) {
                        summary.rows += 1
                        do {
                            let decided: DecidedApplication
                            do {
                                decided = try item.get()
                            } catch var error as ApplicationError {
                                if error.location == nil { error.location = record.location(ofField: columnIndex[error.field] ?? 0) }
                                throw error
                            }
                            ApplyJob.append(decided.record, to: &buffer)
                            if decided.replayed { summary.replayed += 1 }
                            switch decided.record.outcome {
                            case .approve: summary.approved += 1
                            case .review: summary.review += 1
                            case .decline: summary.declined += 1
                            }
                            if features != nil, let values = decided.fraudFeatures {
                                featureBuffer.appendField(decided.record.applicationID)
                                for value in values.values {
                                    featureBuffer.appendComma()
                                    if !value.isNaN { featureBuffer.appendField(ByteSink.text { $0.writeScore(value) }) }
                                }
                                featureBuffer.appendNewline()
                            }
                        } catch let problem as any LendingDiagnostic {
                            guard rejects != nil else { throw ApplyJob.stopping(problem) }
                            let location = problem.location ?? SourceLocation(file: inputPath, line: record.line, column: 1)
                            rejectBuffer.appendRecord([String(location.line), String(location.column), problem.message, record.raw])
                            summary.rejected += 1
                        }
                    }
                    if buffer.count > 1 << 16 { try output.write(buffer); buffer.removeAll() }
                    if featureBuffer.count > 1 << 16 { try features?.write(featureBuffer); featureBuffer.removeAll() }
                    if let progress {
                        let now = monotonicSeconds()
                        if now - lastProgress > 0.25 {
                            lastProgress = now
                            progress(Progress(rows: summary.rows, seconds: now - started))
                        }
                    }
                }
            }
            try output.write(buffer)
            try rejects?.write(rejectBuffer)
            try features?.write(featureBuffer)
            try output.commit()
            try rejects?.commit()
            try features?.commit()
        } catch {
            output.abandon()
            rejects?.abandon()
            features?.abandon()
            processor.invalidate()
            throw error
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Applications prepared together on every core before they are decided one by one.
    static let batchSize = 512

    /// Reads and prepares a batch of records on every core; results keep the records' order.
    static func prepare(_ records: [CSVRecord], columns: ApplicationReader.ColumnMap, preparer: ApplicationProcessor.Preparer)
        -> [Result<PreparedApplication, any Error>] {
        let results = UnsafeMutableBufferPointer<Result<PreparedApplication, any Error>>.allocate(capacity: records.count)
        defer { results.deallocate() }
        let slots = SendableBuffer(base: results)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, records.count / 32 + 1))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < records.count {
                (slots.base.baseAddress! + index).initialize(to: prepareOne(records[index], columns: columns, preparer: preparer))
                index += workers
            }
        }
        let array = Array(results)
        _ = results.deinitialize()
        return array
    }

    private static func prepareOne(_ record: CSVRecord, columns: ApplicationReader.ColumnMap, preparer: ApplicationProcessor.Preparer)
        -> Result<PreparedApplication, any Error> {
        if let problem = record.problem { return .failure(problem) }
        let input: ApplicationInput
        do {
            input = try preparer.reader.read(fields: record.fields, columns: columns)
        } catch {
            return .failure(ApplicationError(code: "apply.field", field: error.field, message: error.message,
                                             location: record.location(ofField: columns.positions[error.field] ?? 0)))
        }
        do {
            return .success(try preparer.prepare(input))
        } catch {
            var located = error
            located.location = record.location(ofField: columns.positions[error.field] ?? 0)
            return .failure(located)
        }
    }

    /// The error that stops a run, told that nothing was stored.
    static func stopping(_ problem: any LendingDiagnostic) -> LendingError {
        LendingError(code: problem.code,
                     message: problem.message + "; nothing was stored: fix the row and run again, or pass --rejects FILE to set such rows aside",
                     location: problem.location, file: problem.file)
    }

    /// One DECISIONS.csv row.
    static func append(_ record: DecisionRecord, to buffer: inout CSVOutputBuffer) {
        buffer.appendField(record.applicationID)
        buffer.appendComma()
        buffer.appendField(record.outcome.rawValue)
        buffer.appendComma()
        buffer.appendField(record.approvedLimit.yuanString)
        buffer.appendComma()
        if record.outcome != .decline { buffer.appendField(record.apr.decimalString) }
        buffer.appendComma()
        if let score = record.score { buffer.appendField(ByteSink.text { $0.writeScore(score) }) }
        buffer.appendComma()
        if let probability = record.probability { buffer.appendField(ByteSink.text { $0.writeProbability(probability) }) }
        buffer.appendComma()
        if let fraud = record.fraudScore { buffer.appendField(ByteSink.text { $0.writeProbability(fraud) }) }
        buffer.appendComma()
        buffer.appendField(record.reasons.map(\.code).joined(separator: ";"))
        buffer.appendNewline()
    }
}

/// Records with their prepared applications, handed from the producer to the deciding thread.
final class PreparedBatch: @unchecked Sendable { // immutable; the results hold errors, which are not Sendable
    let records: [CSVRecord]
    let prepared: [Result<PreparedApplication, any Error>]

    init(records: [CSVRecord], prepared: [Result<PreparedApplication, any Error>]) {
        self.records = records
        self.prepared = prepared
    }
}

/// A bounded queue between the producer and the deciding thread.
final class BatchQueue: @unchecked Sendable { // its vars are read and written only under `condition`
    enum Item {
        case header([String])
        case batch(PreparedBatch)
        case failure(any Error)
    }

    private let condition = ConditionLock()
    private var items: [Item] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Waits for room; `false` when the consumer has gone.
    func push(_ item: Item) -> Bool {
        condition.withLock {
            while items.count >= capacity && !cancelled { condition.wait() }
            if cancelled { return false }
            items.append(item)
            condition.broadcast()
            return true
        }
    }

    /// The next item, or `nil` once the producer finished and everything was taken.
    func pop() -> Item? {
        condition.withLock {
            while items.isEmpty && !finished { condition.wait() }
            guard !items.isEmpty else { return nil }
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
    }

    func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    var isCancelled: Bool { condition.withLock { cancelled } }

    /// The consumer stopped: the producer's next push fails and it stops reading.
    func cancel() {
        condition.withLock {
            cancelled = true
            items.removeAll()
            condition.broadcast()
        }
    }
}

/// Reads the applications file and prepares batches (on every core) for the deciding thread.
struct Producer: Sendable {
    let path: String
    let keepRaw: Bool
    let reader: ApplicationReader
    let preparer: ApplicationProcessor.Preparer
    let queue: BatchQueue

    struct Stopped: Error {}

    func run() {
        var columns = reader.columnMap(header: [])
        var pending: [CSVRecord] = []
        pending.reserveCapacity(ApplyJob.batchSize)
        do {
            func flush() throws(Stopped) {
                let prepared = ApplyJob.prepare(pending, columns: columns, preparer: preparer)
                guard queue.push(.batch(PreparedBatch(records: pending, prepared: prepared))) else { throw Stopped() }
                pending = []
                pending.reserveCapacity(ApplyJob.batchSize)
            }
            try CSVRecordReader.read(path: path, keepRaw: keepRaw, header: { (names: [String]) throws(Stopped) in
                columns = reader.columnMap(header: names)
                guard queue.push(.header(names)) else { throw Stopped() }
            }, record: { (record: CSVRecord) throws(Stopped) in
                pending.append(record)
                if pending.count == ApplyJob.batchSize { try flush() }
            })
            if !pending.isEmpty && !queue.isCancelled { try flush() }
        } catch is Stopped {
        } catch {
            _ = queue.push(.failure(error))
        }
        queue.finish()
    }
}

/// A buffer the batch workers fill at disjoint indices.
struct SendableBuffer<Element>: @unchecked Sendable { // each worker writes its own disjoint indices
    let base: UnsafeMutableBufferPointer<Element>
}
