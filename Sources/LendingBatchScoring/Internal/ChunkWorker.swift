import LendingCSV
import LendingModel
import LendingScoring

/// Parses, checks, scores and formats one chunk. One per worker thread; its buffers are
/// reused from chunk to chunk, so nothing is allocated per row. A non-copyable struct rather
/// than a class: its state is reached without retains or dynamic exclusivity checks.
///
/// Rows are converted straight into a fixed-capacity ``ScoringBatch``; a full batch is scored
/// by the kernel and formatted, then refilled.
struct ChunkWorker: ~Copyable {
    private let job: BatchScoreJob
    private let plan: ColumnPlan
    private let layout: OutputLayout
    private let model: CompiledScorecard
    private let challenger: CompiledScorecard?
    private var spans = CSVFieldSpans()
    private var scratch: [UInt8] = []
    private var batch: ScoringBatch
    private var challengerBatch: ScoringBatch
    private var scores: UnsafeMutableBufferPointer<Double>
    private var probabilities: UnsafeMutableBufferPointer<Double>
    private var challengerScores: UnsafeMutableBufferPointer<Double>
    private var challengerProbabilities: UnsafeMutableBufferPointer<Double>
    /// Per batch row: record index in the chunk, and the id field's span.
    private var rowRecords: UnsafeMutablePointer<Int32>
    private var idStarts: UnsafeMutablePointer<Int>
    private var idEnds: UnsafeMutablePointer<Int>
    private var idEscaped: UnsafeMutablePointer<Bool>
    private var reasonIndices: UnsafeMutablePointer<Int32>
    private var reasonLosses: UnsafeMutablePointer<Double>
    private var sink = ByteSink(capacity: 1 << 20)
    /// The longest a formatted row can be, not counting its id.
    private let maxRowBytes: Int

    static let batchCapacity = 2048

    init(job: BatchScoreJob, plan: ColumnPlan, layout: OutputLayout) {
        self.job = job
        self.plan = plan
        self.layout = layout
        model = job.model
        challenger = job.challenger
        let capacity = ChunkWorker.batchCapacity
        batch = ScoringBatch(for: job.model, capacity: capacity)
        challengerBatch = ScoringBatch(for: job.challenger ?? job.model, capacity: job.challenger == nil ? 1 : capacity)
        func doubles(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            buffer.initialize(repeating: 0)
            return buffer
        }
        scores = doubles(capacity)
        probabilities = doubles(capacity)
        challengerScores = doubles(capacity)
        challengerProbabilities = doubles(capacity)
        rowRecords = .allocate(capacity: capacity)
        idStarts = .allocate(capacity: capacity)
        idEnds = .allocate(capacity: capacity)
        idEscaped = .allocate(capacity: capacity)
        reasonIndices = .allocate(capacity: max(job.reasons, 1))
        reasonLosses = .allocate(capacity: max(job.reasons, 1))
        maxRowBytes = 2 + 32 + 1 + 8 + job.reasons * layout.longestReason + (job.challenger == nil ? 0 : 2 + 32 + 8) + 1
    }

    deinit {
        scores.deallocate(); probabilities.deallocate()
        challengerScores.deallocate(); challengerProbabilities.deallocate()
        rowRecords.deallocate(); idStarts.deallocate(); idEnds.deallocate(); idEscaped.deallocate()
        reasonIndices.deallocate(); reasonLosses.deallocate()
    }

    mutating func process(_ chunk: CSVChunk) -> ChunkResult {
        var result = ChunkResult()
        let bytes = chunk.bytes
        var parser = CSVRecordParser(bytes: bytes, start: chunk.start)
        batch.removeAll()
        challengerBatch.removeAll()
        sink.removeAll()
        let setAside = job.rejectsPath != nil
        let rowMode = plan.idColumn == nil
        var record: Int32 = 0
        while parser.next(into: &spans) {
            defer { record += 1 }
            if let reject = check(bytes) {
                if !setAside {
                    result.stoppedAt = reject
                    result.records = Int(record) + 1
                    return result
                }
                result.rejects.append(reject)
                continue
            }
            let row = batch.count
            rowRecords[row] = record
            if let id = plan.idColumn {
                idStarts[row] = spans.starts[id]
                idEnds[row] = spans.ends[id]
                idEscaped[row] = spans.flags[id] & CSVFieldSpans.escapedQuotes != 0
            }
            batch.commitRow()
            if challenger != nil { challengerBatch.commitRow() }
            if batch.isFull { flush(bytes, rowMode: rowMode, into: &result) }
        }
        flush(bytes, rowMode: rowMode, into: &result)
        result.records = Int(record)
        result.newlines = parser.newlines
        result.output = sink.makeArray()
        return result
    }

    /// Checks one record and converts its characteristics into the batch row `batch.count`;
    /// returns a reject if the row cannot be scored.
    private mutating func check(_ bytes: UnsafeRawBufferPointer) -> RowReject? {
        if let (kind, offset) = spans.error {
            return reject(CSVTable.describe(kind), at: offset, bytes)
        }
        if spans.count != plan.headerCount {
            let offset = spans.count > plan.headerCount ? spans.fieldOffset(plan.headerCount) : max(spans.recordStart, spans.ends[spans.count - 1])
            return reject("expected \(plan.headerCount) fields as in the header, found \(spans.count); quote fields that contain commas", at: offset, bytes)
        }
        if let message = Self.convert(spans, &scratch, model, plan.modelColumns, &batch, bytes) {
            return reject(message.text, at: message.offset, bytes)
        }
        if let challenger, let message = Self.convert(spans, &scratch, challenger, plan.challengerColumns, &challengerBatch, bytes) {
            return reject(message.text, at: message.offset, bytes)
        }
        if let id = plan.idColumn {
            let field = UnsafeRawBufferPointer(rebasing: bytes[spans.starts[id]..<spans.ends[id]])
            if !UTF8Validation.isValid(field) {
                return reject("the id field is not valid UTF-8; save the file as UTF-8", at: spans.fieldOffset(id), bytes)
            }
        }
        return nil
    }

    private func reject(_ reason: String, at offset: Int, _ bytes: UnsafeRawBufferPointer) -> RowReject {
        let (line, column) = spans.lineAndColumn(ofOffset: offset, in: bytes, chunkFirstLine: 0)
        return RowReject(relativeLine: line, column: column, reason: reason, raw: spans.rawText(in: bytes))
    }

    private static func convert(_ spans: borrowing CSVFieldSpans, _ scratch: inout [UInt8], _ model: CompiledScorecard,
                                _ columns: [Int], _ batch: inout ScoringBatch,
                                _ bytes: UnsafeRawBufferPointer) -> (text: String, offset: Int)? {
        let row = batch.count
        return columns.withUnsafeBufferPointer { columns in
            for characteristic in 0..<columns.count {
                let column = columns[characteristic]
                let failure: String?
                if let field = spans.rawField(column, in: bytes) {
                    failure = convertField(field, characteristic, model, batch, row)
                } else {
                    failure = spans.withField(column, in: bytes, scratch: &scratch) { field in
                        convertField(field, characteristic, model, batch, row)
                    }
                }
                if let failure { return (failure, spans.fieldOffset(column)) }
            }
            return nil
        }
    }

    /// Converts one field into the batch, or says why it cannot be scored.
    @inline(__always)
    private static func convertField(_ field: UnsafeRawBufferPointer, _ characteristic: Int, _ model: CompiledScorecard,
                                     _ batch: borrowing ScoringBatch, _ row: Int) -> String? {
        let tables = model.tables
        if field.isEmpty {
            guard model.acceptsMissing(characteristic) else {
                return "\"\(model.names[characteristic])\" is empty and the model has no missing bin for it; supply a value"
            }
            batch.numericColumn(characteristic)[row] = .nan
            batch.slotColumn(characteristic)[row] = 0
            return nil
        }
        if tables.isNumeric[characteristic] != 0 {
            if let value = NumberText.parse(field) {
                batch.numericColumn(characteristic)[row] = value
                return nil
            }
            let name = model.names[characteristic]
            if let problem = byteProblem(field) { return "\"\(name)\" \(problem)" }
            return "\"\(name)\" is \(quoted(field)), not a number; write digits with an optional sign, point and exponent"
        }
        var slot = model.categorySlot(characteristic, field)
        if slot < 0 {
            let name = model.names[characteristic]
            if let problem = byteProblem(field) { return "\"\(name)\" \(problem)" }
            slot = model.unseenSlot(characteristic)
            if slot < 0 {
                return "\"\(name)\" is \(quoted(field)), a category the model has not seen; map it to a known category or set an unseen policy in the model"
            }
        }
        batch.slotColumn(characteristic)[row] = slot
        return nil
    }

    /// Scores the batch and formats its rows into the sink.
    private mutating func flush(_ bytes: UnsafeRawBufferPointer, rowMode: Bool, into result: inout ChunkResult) {
        let rows = batch.count
        guard rows > 0 else { return }
        model.score(&batch, into: scores)
        model.probabilities(scores: UnsafeBufferPointer(rebasing: scores[0..<rows]), into: probabilities)
        if let challenger {
            challenger.score(&challengerBatch, into: challengerScores)
            challenger.probabilities(scores: UnsafeBufferPointer(rebasing: challengerScores[0..<rows]), into: challengerProbabilities)
        }
        if rowMode {
            result.lineEnds.reserveCapacity(result.lineEnds.count + rows)
            result.rowRecords.reserveCapacity(result.rowRecords.count + rows)
        }
        let reasons = layout.reasons
        layout.reasonText.withUnsafeBytes { reasonText in
            layout.reasonStart.withUnsafeBufferPointer { reasonStart in
                for row in 0..<rows {
                    var reserve = maxRowBytes
                    if !rowMode { reserve += 2 * (idEnds[row] - idStarts[row]) + 2 }
                    sink.reserve(reserve)
                    if !rowMode {
                        let field = UnsafeRawBufferPointer(rebasing: bytes[idStarts[row]..<idEnds[row]])
                        if idEscaped[row] {
                            // Doubled quotes inside: unescape, then quote again as needed.
                            CSVFieldSpans.unescape(field, into: &scratch)
                            scratch.withUnsafeBytes { sink.writeField($0) }
                        } else {
                            sink.writeField(field)
                        }
                    }
                    sink.writeByte(0x2C)
                    if layout.integralScores { sink.writeInt(Int64(scores[row])) } else { sink.writeScore(scores[row]) }
                    sink.writeByte(0x2C)
                    sink.writeProbability(probabilities[row])
                    if reasons > 0 {
                        let found = model.reasons(row: row, of: batch, limit: reasons, into: reasonIndices, losses: reasonLosses)
                        for position in 0..<reasons {
                            if position < found {
                                let index = Int(reasonIndices[position])
                                sink.writeBytes(UnsafeRawBufferPointer(rebasing: reasonText[reasonStart[index]..<reasonStart[index + 1]]))
                            } else {
                                sink.writeByte(0x2C)
                            }
                        }
                    }
                    if challenger != nil {
                        sink.writeByte(0x2C)
                        if layout.challengerIntegral { sink.writeInt(Int64(challengerScores[row])) } else { sink.writeScore(challengerScores[row]) }
                        sink.writeByte(0x2C)
                        sink.writeProbability(challengerProbabilities[row])
                    }
                    sink.writeByte(0x0A)
                    if rowMode {
                        result.lineEnds.append(Int32(sink.count))
                        result.rowRecords.append(rowRecords[row])
                    }
                }
            }
        }
        result.scored += rows
        batch.removeAll()
        challengerBatch.removeAll()
    }
}

/// A description of bytes that are not text, or `nil` if they are fine.
private func byteProblem(_ field: UnsafeRawBufferPointer) -> String? {
    if UTF8Validation.containsNUL(field) { return "contains a NUL byte; remove it" }
    if !UTF8Validation.isValid(field) { return "is not valid UTF-8; save the file as UTF-8" }
    return nil
}

/// A field's text for a message, shortened.
private func quoted(_ field: UnsafeRawBufferPointer) -> String {
    let text = String(decoding: field, as: UTF8.self)
    return text.count > 40 ? "\"\(text.prefix(40))…\"" : "\"\(text)\""
}
