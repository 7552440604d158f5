import LendingCSV
import LendingModel
import LendingScoring

/// What `lending score` does: read applicants from CSV, score them with a model (and a
/// challenger), write scores, probabilities and reason codes to CSV, in input order.
///
/// The input is read in chunks of whole records; chunks are parsed and scored on all cores
/// and written back in order, so memory stays bounded whatever the file size.
public struct BatchScoreJob: Sendable {
    public var model: CompiledScorecard
    public var challenger: CompiledScorecard?
    /// The input path, `-` for standard input.
    public var inputPath: String
    /// The output path, `-` for standard output.
    public var outputPath: String
    /// A column to copy to the output as the row's id; without it, the 1-based data row number
    /// goes in a column named `row`.
    public var idColumn: String?
    /// How many reason codes per row.
    public var reasons: Int
    /// Where rejected rows go; without it the first bad row stops the run.
    public var rejectsPath: String?
    /// Worker threads; defaults to the processors online.
    public var threads: Int
    /// Bytes per chunk.
    public var chunkSize: Int
    /// The longest record accepted.
    public var maxRecordBytes: Int

    public init(model: CompiledScorecard, inputPath: String, outputPath: String = "-", idColumn: String? = nil,
                reasons: Int = 4, rejectsPath: String? = nil, challenger: CompiledScorecard? = nil,
                threads: Int? = nil, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20) {
        self.model = model
        self.challenger = challenger
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.idColumn = idColumn
        self.reasons = reasons
        self.rejectsPath = rejectsPath
        self.threads = max(1, threads ?? onlineProcessorCount())
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        /// Data rows read (scored plus rejected).
        public var rows: Int
        public var scored: Int
        public var rejected: Int
        /// Warnings for the user (for example: no data rows).
        public var warnings: [String]
        public var seconds: Double
    }

    /// Progress, reported about twice a second.
    public struct Progress: Sendable {
        public var rows: Int
        public var bytesRead: Int64
        public var totalBytes: Int64?
        public var seconds: Double
    }

    /// Runs the job.
    /// - Parameter progress: called from the writing thread, about twice a second.
    /// - Throws: ``BatchScoreError`` (input, model or output); on any failure no output file is left.
    public func run(progress: (@Sendable (Progress) -> Void)? = nil) throws(BatchScoreError) -> Summary {
        let started = monotonicSeconds()
        let fd: Int32
        do { fd = try openInput(inputPath) } catch { throw BatchScoreError(error) }
        defer { closeInput(fd) }
        let totalBytes = inputSize(fd)
        let chunker = CSVChunker(fileDescriptor: fd, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)

        // The header comes from the first chunk.
        let first: CSVChunker.Item?
        do { first = try chunker.next() } catch { throw BatchScoreError(error, file: inputPath) }
        guard case .chunk(let firstChunk)? = first else {
            if first == nil {
                throw BatchScoreError(.emptyFile, "the file is empty; a header row is required", at: SourceLocation(file: inputPath, line: 1, column: 1))
            }
            throw BatchScoreError(.recordTooLong, "the header is longer than \(maxRecordBytes) bytes; is a quote left open?", at: SourceLocation(file: inputPath, line: 1, column: 1))
        }
        let header = try readHeader(firstChunk)
        let plan = try ColumnPlan(header: header.names, model: model, challenger: challenger, idColumn: idColumn, file: inputPath)
        let layout = OutputLayout(plan: plan, model: model, challenger: challenger, reasons: reasons, idColumn: idColumn)

        let output: OutputFile
        var rejects: OutputFile?
        do {
            output = try OutputFile(path: outputPath)
            if let rejectsPath { rejects = try OutputFile(path: rejectsPath) }
        } catch { throw BatchScoreError(error) }

        var headerLine = CSVOutputBuffer(capacity: 256)
        headerLine.appendRecord(layout.headerNames)
        var rejectsHeader = CSVOutputBuffer(capacity: 64)
        rejectsHeader.appendRecord(["line", "column", "reason", "raw"])

        let pipeline = ChunkPipeline(job: self, plan: plan, layout: layout, chunker: chunker, firstChunk: firstChunk)
        do {
            try output.write(headerLine)
            try rejects?.write(rejectsHeader)
            var summary = try pipeline.run(
                firstLine: 1 + header.newlines, output: output, rejects: rejects,
                totalBytes: totalBytes, started: started, progress: progress)
            if summary.rows == 0 {
                summary.warnings.append("\(inputPath):\(1 + header.newlines):1: warning: no data rows after the header; the output has only its header")
            }
            try output.commit()
            try rejects?.commit()
            summary.seconds = monotonicSeconds() - started
            return summary
        } catch let error as BatchScoreError {
            output.abandon()
            rejects?.abandon()
            throw error
        } catch let error as CSVError {
            output.abandon()
            rejects?.abandon()
            throw BatchScoreError(error, file: inputPath)
        } catch {
            output.abandon()
            rejects?.abandon()
            throw BatchScoreError(.io, "\(error)", at: nil, file: inputPath)
        }
    }

    private func readHeader(_ chunk: CSVChunk) throws(BatchScoreError) -> (names: [String], newlines: Int) {
        let bytes = chunk.bytes
        var parser = CSVRecordParser(bytes: bytes)
        var spans = CSVFieldSpans()
        guard parser.next(into: &spans) else {
            throw BatchScoreError(.emptyFile, "the file is empty; a header row is required", at: SourceLocation(file: inputPath, line: 1, column: 1))
        }
        let names: [String]
        do { names = try spans.headerNames(in: bytes, file: inputPath, chunkFirstLine: 1) } catch { throw BatchScoreError(error) }
        chunk.start = parser.position
        return (names, parser.newlines)
    }
}

/// Which input column feeds each characteristic of the model (and the challenger), and the id.
struct ColumnPlan: Sendable {
    var headerCount: Int
    var modelColumns: [Int]
    var challengerColumns: [Int]
    var idColumn: Int?

    init(header: [String], model: CompiledScorecard, challenger: CompiledScorecard?, idColumn: String?, file: String) throws(BatchScoreError) {
        headerCount = header.count
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() { index[name] = position }
        func columns(_ model: CompiledScorecard, role: String) throws(BatchScoreError) -> [Int] {
            var result: [Int] = []
            var absent: [String] = []
            for name in model.names {
                if let position = index[name] { result.append(position) } else { absent.append(name) }
            }
            guard absent.isEmpty else {
                let list = absent.map { "\"\($0)\"" }.joined(separator: ", ")
                throw BatchScoreError(code: "score.missing_column",
                                      "the \(role) needs \(absent.count == 1 ? "column" : "columns") \(list), not in the header; add \(absent.count == 1 ? "it" : "them") or use the right model",
                                      at: SourceLocation(file: file, line: 1, column: 1))
            }
            return result
        }
        modelColumns = try columns(model, role: "model")
        challengerColumns = try challenger.map { (c) throws(BatchScoreError) in try columns(c, role: "challenger model") } ?? []
        if let idColumn {
            guard let position = index[idColumn] else {
                throw BatchScoreError(code: "score.missing_id_column",
                                      "the id column \"\(idColumn)\" is not in the header; check --id-column",
                                      at: SourceLocation(file: file, line: 1, column: 1))
            }
            self.idColumn = position
        }
    }
}

/// The output's columns and the pre-encoded reason names.
struct OutputLayout: Sendable {
    var headerNames: [String]
    var reasons: Int
    /// Each characteristic's name as it goes in a CSV field (quoted if needed) with a leading
    /// comma, all in one block: characteristic `c` is `reasonText[reasonStart[c]..<reasonStart[c + 1]]`.
    var reasonText: [UInt8]
    var reasonStart: [Int]
    var longestReason: Int
    var integralScores: Bool
    var challengerIntegral: Bool

    init(plan: ColumnPlan, model: CompiledScorecard, challenger: CompiledScorecard?, reasons: Int, idColumn: String?) {
        var names = [idColumn ?? "row", "score", "probability"]
        if reasons > 0 { names += (1...reasons).map { "reason_\($0)" } }
        if challenger != nil { names += ["challenger_score", "challenger_probability"] }
        headerNames = names
        self.reasons = reasons
        var buffer = CSVOutputBuffer(capacity: 1024)
        var starts = [0]
        var longest = 0
        for name in model.names {
            buffer.appendComma()
            buffer.appendField(name)
            longest = max(longest, buffer.count - starts[starts.count - 1])
            starts.append(buffer.count)
        }
        reasonText = buffer.bytes
        reasonStart = starts
        longestReason = longest
        integralScores = model.integralPoints
        challengerIntegral = challenger?.integralPoints ?? true
    }
}
