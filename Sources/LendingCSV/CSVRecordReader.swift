#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LendingModel

/// One data record of a CSV file, handed to a ``CSVRecordReader`` callback: its fields as
/// strings, where each field starts, and its raw text (for a rejects file).
public struct CSVRecord: Sendable {
    public var file: String
    /// The 1-based line where the record starts.
    public var line: Int
    public var fields: [String]
    /// For each field, its 1-based line and column (columns count characters).
    public var positions: [(line: Int, column: Int)]
    /// The record's text without its line end (at most 4096 bytes; bad bytes as U+FFFD); empty
    /// unless the reader was asked to keep it, or the record has a problem.
    public var raw: String
    /// A structural problem of this record (broken quoting, invalid UTF-8, a NUL byte, the wrong
    /// number of fields, too long); `fields` is then empty or incomplete.
    public var problem: CSVError?

    /// Where field `index` starts; the record's start for an index out of range.
    public func location(ofField index: Int) -> SourceLocation {
        guard index >= 0 && index < positions.count else { return SourceLocation(file: file, line: line, column: 1) }
        return SourceLocation(file: file, line: positions[index].line, column: positions[index].column)
    }
}

/// Reads a CSV file record by record with constant memory: the header is checked (names
/// non-empty and unique), then each record is handed over with its location. A problem in the
/// header, or a failure to read, throws; a problem in a record is reported on the record, so the
/// caller decides whether it stops the run or sets the row aside.
public enum CSVRecordReader {
    /// - Parameters:
    ///   - path: the file, or `-` for standard input.
    ///   - header: called once with the header's names, before any record.
    ///   - record: called for each data record in order; blank lines are skipped.
    /// - Throws: ``CSVError`` for an unreadable file, an empty file or a bad header, and whatever
    ///   the callbacks throw.
    ///   - keepRaw: keep every record's raw text (for a rejects file); a record with a problem
    ///     always has it.
    public static func read<E: Error>(path: String, maxRecordBytes: Int = 1 << 20, keepRaw: Bool = true, header: ([String]) throws(E) -> Void,
                                      record: (CSVRecord) throws(E) -> Void) throws(any Error) {
        let fd = try openInput(path)
        defer { closeInput(fd) }
        let chunker = CSVChunker(fileDescriptor: fd, maxRecordBytes: maxRecordBytes)
        var nextLine = 1
        var headerCount: Int?
        var spans = CSVFieldSpans()
        do {
            while let item = try chunker.next() {
                switch item {
                case .oversizedRecord(_, let prefix, let newlines, _):
                    guard headerCount != nil else {
                        throw CSVError(.recordTooLong, "the header is longer than \(maxRecordBytes) bytes; is a quote left open?",
                                       location: SourceLocation(file: path, line: nextLine, column: 1))
                    }
                    let raw = String(decoding: prefix.prefix(4096), as: UTF8.self)
                    try record(CSVRecord(file: path, line: nextLine, fields: [], positions: [], raw: raw,
                                         problem: CSVError(.recordTooLong, "the record is longer than \(maxRecordBytes) bytes; is a quote left open above this line?",
                                                           location: SourceLocation(file: path, line: nextLine, column: 1))))
                    nextLine += newlines
                case .chunk(let chunk):
                    let bytes = chunk.bytes
                    var parser = CSVRecordParser(bytes: bytes)
                    while parser.next(into: &spans) {
                        guard let expected = headerCount else {
                            let names = try spans.headerNames(in: bytes, file: path, chunkFirstLine: nextLine)
                            headerCount = names.count
                            try header(names)
                            continue
                        }
                        try record(makeRecord(spans, bytes, path: path, chunkFirstLine: nextLine, expected: expected, keepRaw: keepRaw))
                    }
                    nextLine += parser.newlines
                }
            }
        } catch var error as CSVError {
            if error.file == nil { error.file = path }
            throw error
        }
        if headerCount == nil {
            throw CSVError(.emptyFile, "the file is empty; a header row is required", location: SourceLocation(file: path, line: 1, column: 1))
        }
    }

    private static func makeRecord(_ spans: borrowing CSVFieldSpans, _ bytes: UnsafeRawBufferPointer, path: String, chunkFirstLine: Int,
                                   expected: Int, keepRaw: Bool) -> CSVRecord {
        let start = spans.lineAndColumn(ofOffset: spans.recordStart, in: bytes, chunkFirstLine: chunkFirstLine)
        var record = CSVRecord(file: path, line: start.line, fields: [], positions: [], raw: keepRaw ? spans.rawText(in: bytes) : "", problem: nil)
        defer { if !keepRaw && record.problem != nil { record.raw = spans.rawText(in: bytes) } }
        func location(_ offset: Int) -> SourceLocation {
            let (line, column) = spans.lineAndColumn(ofOffset: offset, in: bytes, chunkFirstLine: chunkFirstLine)
            return SourceLocation(file: path, line: line, column: column)
        }
        if let (kind, offset) = spans.error {
            record.problem = CSVError(kind, CSVTable.describe(kind), location: location(offset))
            return record
        }
        record.fields.reserveCapacity(spans.count)
        record.positions.reserveCapacity(spans.count)
        // One pass over the record for every field's line and column.
        var line = start.line
        var column = 1
        var index = spans.recordStart
        for field in 0..<spans.count {
            let offset = spans.fieldOffset(field)
            while index < offset {
                let byte = bytes[index]
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
            record.positions.append((line, column))
            if let raw = spans.rawField(field, in: bytes), raw.count > 0, memchr(raw.baseAddress!, 0, raw.count) != nil {
                record.problem = CSVError(.nulByte, "the field contains a NUL byte; remove it", location: location(offset))
                return record
            }
            guard let text = spans.string(field, in: bytes) else {
                record.problem = CSVError(.invalidUTF8, "the field is not valid UTF-8; save the file as UTF-8", location: location(offset))
                return record
            }
            if spans.rawField(field, in: bytes) == nil && text.utf8.contains(0) {
                record.problem = CSVError(.nulByte, "the field contains a NUL byte; remove it", location: location(offset))
                return record
            }
            record.fields.append(text)
        }
        if record.fields.count != expected {
            record.problem = CSVError(.fieldCount, "expected \(expected) fields as in the header, found \(record.fields.count); quote fields that contain commas",
                                      location: SourceLocation(file: path, line: start.line, column: start.column))
        }
        return record
    }
}
