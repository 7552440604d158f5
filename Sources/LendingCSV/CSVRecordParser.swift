#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
/// The fields of one record as byte ranges into a chunk, reused from record to record so that
/// parsing allocates nothing per row. A non-copyable value: one per thread, no locking, no
/// dynamic exclusivity checks in the hot loop.
public struct CSVFieldSpans: ~Copyable {
    /// Bit set on a field that was quoted.
    public static let quoted: UInt8 = 1
    /// Bit set on a quoted field that contains doubled quotes (`""`), so its bytes need unescaping.
    public static let escapedQuotes: UInt8 = 2

    public private(set) var count = 0
    public private(set) var starts: UnsafeMutablePointer<Int>
    public private(set) var ends: UnsafeMutablePointer<Int>
    public private(set) var flags: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    /// Offset of the record's first byte.
    public internal(set) var recordStart = 0
    /// Offset just after the record (after its terminator, if any).
    public internal(set) var recordEnd = 0
    /// Line feeds the parser had passed when the record began (0 for the first line of the chunk).
    public internal(set) var recordNewlinesBefore = 0
    /// The first structural error in the record, if any.
    public internal(set) var error: (kind: CSVError.Kind, offset: Int)?

    public init(capacity: Int = 64) {
        self.capacity = capacity
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        flags = .allocate(capacity: capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        flags.deallocate()
    }

    @inline(__always)
    mutating func reset(start: Int, newlinesBefore: Int) {
        count = 0
        recordStart = start
        recordNewlinesBefore = newlinesBefore
        error = nil
    }

    @inline(__always)
    mutating func append(start: Int, end: Int, flags fieldFlags: UInt8) {
        if count == capacity { grow() }
        starts[count] = start
        ends[count] = end
        flags[count] = fieldFlags
        count += 1
    }

    @inline(__always)
    mutating func noteError(_ kind: CSVError.Kind, at offset: Int) {
        if error == nil { error = (kind, offset) }
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newStarts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let newEnds = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let newFlags = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStarts.update(from: starts, count: count)
        newEnds.update(from: ends, count: count)
        newFlags.update(from: flags, count: count)
        starts.deallocate(); ends.deallocate(); flags.deallocate()
        starts = newStarts; ends = newEnds; flags = newFlags
        capacity = newCapacity
    }
}

/// An RFC 4180 record parser over a chunk of whole records.
///
/// Accepts LF and CRLF line ends, quoted fields with doubled quotes and embedded commas and
/// line feeds, and skips blank lines. It never stops in the middle of a record: a malformed
/// record is read to its end by the same quote rules as ``CSVChunker`` and its first error is
/// reported in ``CSVFieldSpans/error``, so a caller can reject it and go on.
public struct CSVRecordParser {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    /// The offset of the next unread byte.
    public private(set) var position: Int
    /// Line feeds consumed so far, counted from the parser's start.
    public private(set) var newlines = 0

    /// - Parameters:
    ///   - bytes: the chunk; must stay valid while the parser is used.
    ///   - start: where to begin (a record boundary).
    public init(bytes: UnsafeRawBufferPointer, start: Int = 0) {
        self.base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
            ?? UnsafePointer(bitPattern: 1)!
        self.end = bytes.count
        self.position = start
    }

    /// A word with the high bit set in each byte of `word` equal to `byte` (exact for the lowest
    /// such byte, which is all the scan needs).
    @inline(__always)
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let value = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return (value &- 0x0101_0101_0101_0101) & ~value & 0x8080_8080_8080_8080
    }

    /// Whether all bytes were read.
    public var isAtEnd: Bool { position >= end }

    /// Reads the next record into `record`, skipping blank lines.
    /// - Returns: `false` when there are no more records.
    public mutating func next(into record: inout CSVFieldSpans) -> Bool {
        // Skip blank lines (LF or CRLF).
        while position < end {
            if base[position] == 0x0A { newlines += 1; position += 1; continue }
            if base[position] == 0x0D && position + 1 < end && base[position + 1] == 0x0A {
                newlines += 1; position += 2; continue
            }
            break
        }
        if position >= end { return false }
        record.reset(start: position, newlinesBefore: newlines)
        parseFields(into: &record)
        return true
    }

    @inline(__always)
    private mutating func parseFields(into record: inout CSVFieldSpans) {
        var p = position
        while true {
            let fieldStart = p
            if p < end && base[p] == 0x22 {
                // Quoted field.
                var fieldFlags = CSVFieldSpans.quoted
                p += 1
                var contentEnd = -1
                while p < end {
                    let byte = base[p]
                    if byte == 0x22 {
                        if p + 1 < end && base[p + 1] == 0x22 {
                            fieldFlags |= CSVFieldSpans.escapedQuotes
                            p += 2
                            continue
                        }
                        contentEnd = p
                        p += 1
                        break
                    }
                    if byte == 0x0A { newlines += 1 }
                    p += 1
                }
                if contentEnd < 0 {
                    record.noteError(.unterminatedQuote, at: fieldStart)
                    record.append(start: fieldStart + 1, end: end, flags: fieldFlags)
                    position = end
                    record.recordEnd = end
                    return
                }
                // After the closing quote: a delimiter, CRLF, or the end.
                if p < end {
                    let byte = base[p]
                    let isCRLF = byte == 0x0D && (p + 1 == end || base[p + 1] == 0x0A)
                    if byte != 0x2C && byte != 0x0A && !isCRLF {
                        record.noteError(.textAfterClosingQuote, at: p)
                        while p < end && base[p] != 0x2C && base[p] != 0x0A { p += 1 }
                    } else if isCRLF {
                        p += 1
                    }
                }
                record.append(start: fieldStart + 1, end: contentEnd, flags: fieldFlags)
            } else {
                // Unquoted field: scan to a comma or line feed, eight bytes at a time while
                // none of them is a comma, line feed or quote (SWAR; the byte loop below is the
                // reference behaviour and handles whatever the word scan stops at).
                while p + 8 <= end {
                    let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                    let special = Self.hasByte(word, 0x2C) | Self.hasByte(word, 0x0A) | Self.hasByte(word, 0x22)
                    if special != 0 {
                        p += special.trailingZeroBitCount >> 3
                        break
                    }
                    p += 8
                }
                while p < end {
                    let byte = base[p]
                    if byte == 0x2C || byte == 0x0A { break }
                    if byte == 0x22 { record.noteError(.quoteInUnquotedField, at: p) }
                    p += 1
                }
                var fieldEnd = p
                if fieldEnd > fieldStart && base[fieldEnd - 1] == 0x0D && (p == end || base[p] == 0x0A) {
                    fieldEnd -= 1
                }
                record.append(start: fieldStart, end: fieldEnd, flags: 0)
            }
            if p >= end {
                position = end
                record.recordEnd = end
                return
            }
            if base[p] == 0x2C {
                p += 1
                continue
            }
            // Line feed (a CR before it was consumed above).
            newlines += 1
            p += 1
            position = p
            record.recordEnd = p
            return
        }
    }
}

extension CSVFieldSpans {
    /// The bytes of field `index`, unescaping doubled quotes into `scratch` when needed.
    @inline(__always)
    public borrowing func withField<R>(
        _ index: Int, in chunk: UnsafeRawBufferPointer, scratch: inout [UInt8],
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        let start = starts[index]
        let end = ends[index]
        let raw = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
        if flags[index] & CSVFieldSpans.escapedQuotes == 0 { return try body(raw) }
        CSVFieldSpans.unescape(raw, into: &scratch)
        return try scratch.withUnsafeBytes { try body($0) }
    }

    /// The content of a quoted field with each doubled quote (`""`) made single.
    public static func unescape(_ raw: UnsafeRawBufferPointer, into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        var skipNext = false
        for byte in raw {
            if skipNext { skipNext = false; continue }
            scratch.append(byte)
            if byte == 0x22 { skipNext = true }
        }
    }

    /// The raw bytes of field `index` (without surrounding quotes), or `nil` when the field has
    /// doubled quotes and needs ``withField(_:in:scratch:_:)`` to unescape it.
    @inlinable @inline(__always)
    public borrowing func rawField(_ index: Int, in chunk: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        if flags[index] & CSVFieldSpans.escapedQuotes != 0 { return nil }
        return UnsafeRawBufferPointer(start: chunk.baseAddress! + starts[index], count: ends[index] - starts[index])
    }

    /// Field `index` as a string, or `nil` when its bytes are not valid UTF-8.
    public borrowing func string(_ index: Int, in chunk: UnsafeRawBufferPointer) -> String? {
        var scratch: [UInt8] = []
        return withField(index, in: chunk, scratch: &scratch) { bytes in
            UTF8Validation.isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
        }
    }

    /// The raw text of the whole record without its line end, for a rejects file
    /// (invalid UTF-8 and NUL bytes replaced by U+FFFD).
    public borrowing func rawText(in chunk: UnsafeRawBufferPointer, limit: Int = 4096) -> String {
        var stop = recordEnd
        if stop > recordStart && chunk[stop - 1] == 0x0A { stop -= 1 }
        if stop > recordStart && chunk[stop - 1] == 0x0D { stop -= 1 }
        stop = min(stop, recordStart + limit)
        let raw = UnsafeRawBufferPointer(rebasing: chunk[recordStart..<stop])
        let text = String(decoding: raw, as: UTF8.self)
        // A NUL byte would make the rejects file itself unreadable: show it as U+FFFD too.
        guard raw.count > 0, memchr(raw.baseAddress!, 0, raw.count) != nil else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }

    /// Line and column (1-based, columns in characters) of byte `offset` of this record,
    /// given the line number at which the chunk's parsing started.
    public borrowing func lineAndColumn(ofOffset offset: Int, in chunk: UnsafeRawBufferPointer, chunkFirstLine: Int) -> (line: Int, column: Int) {
        var line = chunkFirstLine + recordNewlinesBefore
        var lineStart = recordStart
        var index = recordStart
        let stop = min(offset, chunk.count)
        while index < stop {
            if chunk[index] == 0x0A { line += 1; lineStart = index + 1 }
            index += 1
        }
        var column = 1
        index = lineStart
        while index < stop {
            if chunk[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return (line, column)
    }

    /// The byte offset at which field `index` begins (its opening quote for a quoted field).
    public borrowing func fieldOffset(_ index: Int) -> Int {
        flags[index] & CSVFieldSpans.quoted != 0 ? starts[index] - 1 : starts[index]
    }
}
