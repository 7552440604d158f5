import LendingCSV
import LendingModel
import LendingScoring

/// Parses, checks, scores and formats one chunk. One per worker thread; its buffers are
/// reused from chunk to chunk, so nothing is allocated per row.
final class ChunkWorker {
    private let job: BatchScoreJob
    private let plan: ColumnPlan
    private let layout: OutputLayout
    private let spans = CSVFieldSpans()
    private var scratch: [UInt8] = []
    private var modelSide: ModelSide
    private var challengerSide: ModelSide?
    private var idOffsets: [Int] = []
    private var idEnds: [Int] = []
    private var idArena: [UInt8] = []
    private var rowRecords: [Int32] = []
    private var reasonIndices: [Int32]

    /// The per-model buffers: one row's values and slots, the batch, scores, probabilities.
    struct ModelSide {
        let model: CompiledScorecard
        let columns: [Int]
        var rowValues: [Double]
        var rowSlots: [Int32]
        var batch: ScoringBatch
        var scores: [Double] = []
        var probabilities: [Double] = []

        init(model: CompiledScorecard, columns: [Int]) {
            self.model = model
            self.columns = columns
            rowValues = [Double](repeating: 0, count: model.characteristicCount)
            rowSlots = [Int32](repeating: 0, count: model.characteristicCount)
            batch = ScoringBatch(for: model, capacity: 8192)
        }

        mutating func score() {
            let count = batch.count
            if scores.count < count {
                scores = [Double](repeating: 0, count: count)
                probabilities = [Double](repeating: 0, count: count)
            }
            scores.withUnsafeMutableBufferPointer { scores in
                model.score(batch, into: scores)
                probabilities.withUnsafeMutableBufferPointer { probabilities in
                    model.probabilities(scores: UnsafeBufferPointer(rebasing: scores[0..<count]), into: probabilities)
                }
            }
        }
    }

    init(job: BatchScoreJob, plan: ColumnPlan, layout: OutputLayout) {
        self.job = job
        self.plan = plan
        self.layout = layout
        modelSide = ModelSide(model: job.model, columns: plan.modelColumns)
        challengerSide = job.challenger.map { ModelSide(model: $0, columns: plan.challengerColumns) }
        reasonIndices = [Int32](repeating: -1, count: max(job.reasons, 1))
    }

    func process(_ chunk: CSVChunk) -> ChunkResult {
        var result = ChunkResult()
        let bytes = chunk.bytes
        var parser = CSVRecordParser(bytes: bytes, start: chunk.start)
        modelSide.batch.removeAll()
        challengerSide?.batch.removeAll()
        rowRecords.removeAll(keepingCapacity: true)
        idOffsets.removeAll(keepingCapacity: true)
        idEnds.removeAll(keepingCapacity: true)
        idArena.removeAll(keepingCapacity: true)
        let setAside = job.rejectsPath != nil
        var record: Int32 = 0
        while parser.next(into: spans) {
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
            if let id = plan.idColumn {
                idOffsets.append(idArena.count)
                spans.withField(id, in: bytes, scratch: &scratch) { field in
                    var encoded = CSVOutputBuffer(capacity: field.count + 2)
                    encoded.appendField(field)
                    idArena.append(contentsOf: encoded.bytes)
                }
                idEnds.append(idArena.count)
            }
            modelSide.rowValues.withUnsafeBufferPointer { values in
                modelSide.rowSlots.withUnsafeBufferPointer { slots in
                    modelSide.batch.append(values: values, rowSlots: slots)
                }
            }
            if challengerSide != nil {
                challengerSide!.rowValues.withUnsafeBufferPointer { values in
                    challengerSide!.rowSlots.withUnsafeBufferPointer { slots in
                        challengerSide!.batch.append(values: values, rowSlots: slots)
                    }
                }
            }
            rowRecords.append(record)
        }
        result.records = Int(record)
        result.newlines = parser.newlines
        result.scored = rowRecords.count
        modelSide.score()
        challengerSide?.score()
        format(into: &result)
        return result
    }

    /// Checks one record and converts its characteristics into the row buffers; returns a
    /// reject if the row cannot be scored.
    private func check(_ bytes: UnsafeRawBufferPointer) -> RowReject? {
        func reject(_ reason: String, at offset: Int) -> RowReject {
            let (line, column) = spans.lineAndColumn(ofOffset: offset, in: bytes, chunkFirstLine: 0)
            return RowReject(relativeLine: line, column: column, reason: reason, raw: spans.rawText(in: bytes))
        }
        if let (kind, offset) = spans.error {
            return reject(CSVTable.describe(kind), at: offset)
        }
        if spans.count != plan.headerCount {
            let offset = spans.count > plan.headerCount ? spans.fieldOffset(plan.headerCount) : max(spans.recordStart, spans.ends[spans.count - 1])
            return reject("expected \(plan.headerCount) fields as in the header, found \(spans.count); quote fields that contain commas", at: offset)
        }
        if let message = convert(&modelSide, bytes) { return reject(message.text, at: message.offset) }
        if challengerSide != nil, let message = convert(&challengerSide!, bytes) { return reject(message.text, at: message.offset) }
        if let id = plan.idColumn {
            let field = UnsafeRawBufferPointer(rebasing: bytes[spans.starts[id]..<spans.ends[id]])
            if !UTF8Validation.isValid(field) {
                return reject("the id field is not valid UTF-8; save the file as UTF-8", at: spans.fieldOffset(id))
            }
        }
        return nil
    }

    private func convert(_ side: inout ModelSide, _ bytes: UnsafeRawBufferPointer) -> (text: String, offset: Int)? {
        let model = side.model
        for characteristic in 0..<model.characteristicCount {
            let column = side.columns[characteristic]
            let failure: String? = spans.withField(column, in: bytes, scratch: &scratch) { field -> String? in
                let name = model.names[characteristic]
                if field.isEmpty {
                    guard model.acceptsMissing[characteristic] else {
                        return "\"\(name)\" is empty and the model has no missing bin for it; supply a value"
                    }
                    side.rowValues[characteristic] = .nan
                    side.rowSlots[characteristic] = 0
                    return nil
                }
                switch model.kinds[characteristic] {
                case .numeric:
                    if let value = NumberText.parse(field) {
                        side.rowValues[characteristic] = value
                        return nil
                    }
                    if let problem = byteProblem(field) { return "\"\(name)\" \(problem)" }
                    return "\"\(name)\" is \(quoted(field)), not a number; write digits with an optional sign, point and exponent"
                case .categorical:
                    var slot = model.categoryTables[characteristic].slot(of: field)
                    if slot < 0 {
                        if let problem = byteProblem(field) { return "\"\(name)\" \(problem)" }
                        slot = model.unseenSlot[characteristic]
                        if slot < 0 {
                            return "\"\(name)\" is \(quoted(field)), a category the model has not seen; map it to a known category or set an unseen policy in the model"
                        }
                    }
                    side.rowSlots[characteristic] = slot
                    return nil
                }
            }
            if let failure { return (failure, spans.fieldOffset(column)) }
        }
        return nil
    }

    private func format(into result: inout ChunkResult) {
        let rows = rowRecords.count
        var out = CSVOutputBuffer(capacity: rows * (40 + layout.reasons * 24))
        let rowMode = plan.idColumn == nil
        if rowMode {
            result.lineEnds.reserveCapacity(rows)
            result.rowRecords = rowRecords
        }
        let model = modelSide.model
        var slots = [Int32](repeating: 0, count: model.characteristicCount)
        for row in 0..<rows {
            if !rowMode {
                idArena.withUnsafeBytes { arena in
                    out.appendRaw(UnsafeRawBufferPointer(rebasing: arena[idOffsets[row]..<idEnds[row]]))
                }
            }
            out.appendComma()
            let score = modelSide.scores[row]
            if layout.integralScores { out.appendInt(Int64(score)) } else { out.appendScore(score) }
            out.appendComma()
            out.appendFixed(modelSide.probabilities[row], decimals: 6)
            if layout.reasons > 0 {
                for characteristic in 0..<model.characteristicCount {
                    slots[characteristic] = model.slot(characteristic, row: row, in: modelSide.batch)
                }
                let found = slots.withUnsafeBufferPointer { slots in
                    reasonIndices.withUnsafeMutableBufferPointer { model.reasons(slots: slots, limit: layout.reasons, into: $0) }
                }
                for position in 0..<layout.reasons {
                    if position < found {
                        layout.reasonFields[Int(reasonIndices[position])].withUnsafeBytes { out.appendRaw($0) }
                    } else {
                        out.appendComma()
                    }
                }
            }
            if let challenger = challengerSide {
                out.appendComma()
                let score = challenger.scores[row]
                if layout.challengerIntegral { out.appendInt(Int64(score)) } else { out.appendScore(score) }
                out.appendComma()
                out.appendFixed(challenger.probabilities[row], decimals: 6)
            }
            out.appendNewline()
            if rowMode { result.lineEnds.append(Int32(out.count)) }
        }
        result.output = out.bytes
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
