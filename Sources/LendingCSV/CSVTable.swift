import LendingModel

/// A whole small CSV file read into strings (model cards, lists): header, records, and the
/// line of each record. Every structural problem is an error with file, line and column.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// 1-based line number where each row starts.
    public var lines: [Int]
    public var file: String

    /// The index of a column, matched by exact name.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Reads and checks a file (`-` is standard input); the first problem in any record throws.
    public static func read(path: String, maxRecordBytes: Int = 1 << 20) throws(CSVError) -> CSVTable {
        var table = CSVTable(header: [], rows: [], lines: [], file: path)
        do {
            try CSVRecordReader.read(path: path, maxRecordBytes: maxRecordBytes, header: { (names: [String]) throws(CSVError) in
                table.header = names
            }, record: { (record: CSVRecord) throws(CSVError) in
                if let problem = record.problem { throw problem }
                table.rows.append(record.fields)
                table.lines.append(record.line)
            })
        } catch let error as CSVError {
            throw error
        } catch {
            preconditionFailure("CSVRecordReader throws only CSVError here: \(error)")
        }
        return table
    }

    /// Checks a header: names are non-empty and unique.
    ///
    /// See also ``CSVFieldSpans/headerNames(in:file:chunkFirstLine:)``, which reads a header
    /// record and calls this.
    public static func checkHeader(_ names: [String], file: String, line: Int) throws(CSVError) {
        var seen = Set<String>()
        var column = 1
        for name in names {
            if name.isEmpty {
                throw CSVError(.header, "a header name is empty; every column needs a name", location: SourceLocation(file: file, line: line, column: column))
            }
            if !seen.insert(name).inserted {
                throw CSVError(.header, "the column \"\(name)\" appears twice in the header; rename one", location: SourceLocation(file: file, line: line, column: column))
            }
            column += name.count + 1
        }
    }

    /// The user-facing text for a structural error.
    public static func describe(_ kind: CSVError.Kind) -> String {
        switch kind {
        case .unterminatedQuote: return "a quoted field is never closed; add the closing quote"
        case .textAfterClosingQuote: return "text after a closing quote; quote the whole field and double any quote inside it"
        case .quoteInUnquotedField: return "a quote inside an unquoted field; quote the whole field and double the quote (\"\")"
        case .fieldCount: return "wrong number of fields"
        case .recordTooLong: return "the record is too long"
        case .invalidUTF8: return "the field is not valid UTF-8; save the file as UTF-8"
        case .nulByte: return "the field contains a NUL byte; remove it"
        case .emptyFile: return "the file is empty; a header row is required"
        case .header: return "bad header"
        case .io: return "input/output error"
        }
    }
}

extension CSVFieldSpans {
    /// This record read as a header: no structural error, every name valid UTF-8 without NUL,
    /// names non-empty and unique. Errors carry the file, line and column.
    public borrowing func headerNames(in chunk: UnsafeRawBufferPointer, file: String, chunkFirstLine: Int) throws(CSVError) -> [String] {
        func location(_ offset: Int) -> SourceLocation {
            let (line, column) = lineAndColumn(ofOffset: offset, in: chunk, chunkFirstLine: chunkFirstLine)
            return SourceLocation(file: file, line: line, column: column)
        }
        if let (kind, offset) = error {
            throw CSVError(kind, "in the header: " + CSVTable.describe(kind), location: location(offset))
        }
        var names: [String] = []
        for index in 0..<count {
            guard let name = string(index, in: chunk) else {
                throw CSVError(.invalidUTF8, "a header name is not valid UTF-8 text; save the file as UTF-8", location: location(fieldOffset(index)))
            }
            if name.utf8.contains(0) {
                throw CSVError(.nulByte, "a header name contains a NUL byte; remove it", location: location(fieldOffset(index)))
            }
            names.append(name)
        }
        try CSVTable.checkHeader(names, file: file, line: chunkFirstLine + recordNewlinesBefore)
        return names
    }
}
