import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring

/// Reads a CSV file row by row with named columns: checks the header for required columns, and
/// for each row either stops at the first problem or sets the row aside in a rejects file.
struct CSVRows {
    var path: String
    var required: [String]
    var rejects: OutputFile?
    /// What the stop message says was done with earlier rows.
    var onStop: String

    struct Counts {
        var rows = 0
        var rejected = 0
    }

    /// A row's named fields and where each is.
    struct Row {
        let record: CSVRecord
        let columns: [String: Int]

        func callAsFunction(_ name: String) -> String { columns[name].map { record.fields[$0] } ?? "" }

        func problem(_ field: String, _ code: String, _ message: String) -> ApplicationError {
            ApplicationError(code: code, field: field, message: message, location: record.location(ofField: columns[field] ?? 0))
        }
    }

    func run(_ body: (Row) throws -> Void) throws -> Counts {
        var counts = Counts()
        var columns: [String: Int] = [:]
        var buffer = CSVOutputBuffer(capacity: 1 << 12)
        buffer.appendRecord(["line", "column", "reason", "raw"])
        try CSVRecordReader.read(path: path, header: { (names: [String]) throws(ApplicationError) in
            for (index, name) in names.enumerated() { columns[name] = index }
            let missing = required.filter { columns[$0] == nil }
            if !missing.isEmpty {
                throw ApplicationError(code: "csv.columns", field: missing[0],
                                       message: "the header lacks \(missing.map { "\"\($0)\"" }.joined(separator: ", ")); add the column\(missing.count > 1 ? "s" : "")",
                                       location: SourceLocation(file: path, line: 1, column: 1))
            }
        }, record: { (record: CSVRecord) throws in
            counts.rows += 1
            do {
                if let problem = record.problem { throw problem }
                try body(Row(record: record, columns: columns))
            } catch let problem as any LendingDiagnostic {
                guard rejects != nil else {
                    throw LendingError(code: problem.code, message: problem.message + "; " + onStop + ": fix the row and run again, or pass --rejects FILE to set such rows aside",
                                       location: problem.location, file: problem.file ?? path)
                }
                let location = problem.location ?? SourceLocation(file: path, line: record.line, column: 1)
                buffer.appendRecord([String(location.line), String(location.column), problem.message, record.raw])
                counts.rejected += 1
            }
        })
        try rejects?.write(buffer)
        return counts
    }
}
