import LendingCSV
import LendingModel

/// A row that cannot be taken: it stops the run, or goes to the rejects file.
package struct RowProblem: Error {
    package var error: LendingError
}

/// Reads a servicing CSV (PAYMENTS.csv, DRAWS.csv, OUTCOMES.csv) with named columns. A row whose
/// handler throws ``RowProblem`` or ``ServicingRequestError`` (located at its field) stops the run
/// with a located message (nothing is stored: the caller's transaction rolls back), or with a
/// rejects file goes there as `line,column,reason,raw`. Any other error (storage) stops the run.
package struct ServicingRows {
    package var path: String
    package var required: [String]
    package var rejects: OutputFile?

    package init(path: String, required: [String], rejects: OutputFile?) {
        self.path = path
        self.required = required
        self.rejects = rejects
    }

    package struct Counts {
        package var rows = 0
        package var rejected = 0
    }

    package struct Row {
        package let record: CSVRecord
        package let columns: [String: Int]

        package func callAsFunction(_ name: String) -> String { columns[name].map { record.fields[$0] } ?? "" }

        /// A problem located at a column's field.
        package func problem(_ field: String, _ code: String, _ message: String) -> RowProblem {
            RowProblem(error: LendingError(code: code, message: message, location: record.location(ofField: columns[field] ?? 0)))
        }
    }

    package func run(_ body: (Row) throws -> Void) throws -> Counts {
        var counts = Counts()
        var columns: [String: Int] = [:]
        var buffer = CSVOutputBuffer(capacity: 1 << 12)
        buffer.appendRecord(["line", "column", "reason", "raw"])
        try CSVRecordReader.read(path: path, keepRaw: rejects != nil, header: { (names: [String]) throws(LendingError) in
            for (index, name) in names.enumerated() where columns[name] == nil { columns[name] = index }
            let missing = required.filter { columns[$0] == nil }
            if !missing.isEmpty {
                throw LendingError(code: "csv.columns",
                                   message: "the header lacks \(missing.map { "\"\($0)\"" }.joined(separator: ", ")); add the column\(missing.count > 1 ? "s" : "")",
                                   location: SourceLocation(file: path, line: 1, column: 1))
            }
        }, record: { (record: CSVRecord) throws in
            counts.rows += 1
            do {
                if let problem = record.problem {
                    throw RowProblem(error: LendingError(code: problem.code, message: problem.message, location: problem.location, file: path))
                }
                let row = Row(record: record, columns: columns)
                do {
                    try body(row)
                } catch let refused as ServicingRequestError {
                    throw row.problem(refused.field, refused.code, refused.message)
                }
            } catch let problem as RowProblem {
                guard rejects != nil else {
                    throw LendingError(code: problem.error.code,
                                       message: problem.error.message + "; nothing was stored: fix the row and run again, or pass --rejects FILE to set such rows aside",
                                       location: problem.error.location, file: problem.error.file ?? path)
                }
                let location = problem.error.location ?? SourceLocation(file: path, line: record.line, column: 1)
                buffer.appendRecord([String(location.line), String(location.column), problem.error.message, record.raw])
                counts.rejected += 1
            }
        })
        try rejects?.write(buffer)
        return counts
    }

    /// Opens the rejects file (if any), runs `body` with it, and keeps the file only if `body`
    /// returns: call it around the transaction, so the rejects exist only for a committed run.
    package static func withRejects(_ path: String?, _ body: (OutputFile?) throws -> Counts) throws -> Counts {
        let rejects = try path.map { try OutputFile(path: $0) }
        do {
            let counts = try body(rejects)
            try rejects?.commit()
            return counts
        } catch {
            rejects?.abandon()
            throw error
        }
    }
}
