#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Splits a byte stream into chunks of whole CSV records without parsing fields.
///
/// Boundaries are found with `memchr` over quote characters only: a quote opens a quoted field
/// when it stands at the start of a field (after a comma, a line feed or the chunk start), and
/// the field closes at the next quote that is not doubled. These are exactly the rules of
/// ``CSVRecordParser``, so the two always agree on where records end. Memory stays bounded:
/// a chunk holds about `chunkSize` bytes, and a record longer than `maxRecordBytes` is skipped
/// and reported instead of being buffered.
public final class CSVChunker {
    /// What the chunker hands out.
    public enum Item {
        /// Whole records.
        case chunk(CSVChunk)
        /// A record longer than the limit, skipped. `prefix` holds its first bytes, `newlines`
        /// the line feeds it spanned (including its terminator, if any).
        case oversizedRecord(sequence: Int, prefix: [UInt8], newlines: Int, terminated: Bool)
    }

    public let chunkSize: Int
    public let maxRecordBytes: Int
    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var atEnd = false
    private var nextSequence = 0
    private var consumedOffset: Int64 = 0
    private var checkedBOM = false
    private var regions: [(open: Int, close: Int)] = []
    private let pool: BufferPool
    /// A regular file is read through a read-only mapping: no copy into buffers.
    private let mapping: MappedFile?
    private var mappedPosition = 0

    /// - Parameters:
    ///   - fileDescriptor: an open descriptor; the chunker reads it to the end but does not close it.
    ///   - chunkSize: target bytes per chunk.
    ///   - maxRecordBytes: the longest record accepted.
    public init(fileDescriptor: Int32, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20) {
        precondition(chunkSize > 0 && maxRecordBytes > 0)
        self.fd = fileDescriptor
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        self.pool = BufferPool(size: chunkSize + 4096, limit: 16)
        self.buffer = pool.take()
        self.mapping = MappedFile(fileDescriptor: fileDescriptor)
        if let mapping, mapping.count >= 3 {
            let bytes = mapping.base.assumingMemoryBound(to: UInt8.self)
            if bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { mappedPosition = 3 }
        }
    }

    deinit { pool.recycle(buffer) }

    /// The next item, or `nil` at the end of the input.
    public func next() throws(CSVError) -> Item? {
        if let mapping { return nextMapped(mapping) }
        while true {
            if !atEnd && filled < chunkSize { try fill(upTo: chunkSize) }
            if filled == 0 && atEnd { return nil }
            if let boundary = lastRecordBoundary(in: filled) {
                return .chunk(handOff(boundary, isLast: atEnd && boundary == filled))
            }
            if atEnd { return .chunk(handOff(filled, isLast: true)) }
            if filled >= maxRecordBytes { return try skipOversizedRecord() }
            // A record longer than the buffer: grow and read on.
            if filled == buffer.count { grow(to: min(buffer.count * 2, maxRecordBytes + 4096)) }
            try fill(upTo: buffer.count)
        }
    }

    private func fill(upTo target: Int) throws(CSVError) {
        while filled < target && !atEnd {
            let got = try readRetrying(fd, buffer.baseAddress! + filled, min(target, buffer.count) - filled)
            if got == 0 { atEnd = true; break }
            filled += got
            if !checkedBOM && filled >= 3 { stripBOM() }
        }
        if !checkedBOM && atEnd { stripBOM() }
    }

    private func stripBOM() {
        checkedBOM = true
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if filled >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            (buffer.baseAddress!).copyMemory(from: buffer.baseAddress! + 3, byteCount: filled - 3)
            filled -= 3
        }
    }

    private func grow(to newSize: Int) {
        guard newSize > buffer.count else { return }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: newSize, alignment: 16)
        bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
        pool.recycle(buffer)
        buffer = bigger
    }

    /// Gives `buffer[0..<boundary]` away as a chunk and keeps the rest in a new buffer.
    private func handOff(_ boundary: Int, isLast: Bool) -> CSVChunk {
        let rest = filled - boundary
        let fresh = rest + 4096 <= pool.size ? pool.take()
            : UnsafeMutableRawBufferPointer.allocate(byteCount: rest + 4096, alignment: 16)
        if rest > 0 { fresh.baseAddress!.copyMemory(from: buffer.baseAddress! + boundary, byteCount: rest) }
        let chunk = CSVChunk(sequence: nextSequence, inputOffset: consumedOffset, storage: buffer, count: boundary, isLast: isLast, pool: pool)
        nextSequence += 1
        consumedOffset += Int64(boundary)
        buffer = fresh
        filled = rest
        return chunk
    }

    /// The offset just after the last line feed that ends a record, or `nil`.
    private func lastRecordBoundary(in count: Int) -> Int? {
        lastRecordBoundary(base: UnsafeRawPointer(buffer.baseAddress!), count: count, atEnd: atEnd)
    }

    /// The offset just after the last line feed in `base[0..<count]` that ends a record.
    private func lastRecordBoundary(base: UnsafeRawPointer, count: Int, atEnd: Bool) -> Int? {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        regions.removeAll(keepingCapacity: true)
        var position = 0
        // Collect quoted regions in order.
        while position < count {
            guard let found = memchr(base + position, 0x22, count - position) else { break }
            let quote = UnsafeRawPointer(found) - base
            let atFieldStart = quote == 0 || bytes[quote - 1] == 0x2C || bytes[quote - 1] == 0x0A
            if !atFieldStart { position = quote + 1; continue }
            // Find the closing quote: a quote not followed by another.
            var search = quote + 1
            var close = -1
            while search < count {
                guard let next = memchr(base + search, 0x22, count - search) else { break }
                let candidate = UnsafeRawPointer(next) - base
                if candidate + 1 < count && bytes[candidate + 1] == 0x22 { search = candidate + 2; continue }
                if candidate + 1 == count && !atEnd { break } // could be half of a doubled quote
                close = candidate
                break
            }
            if close < 0 { regions.append((quote, count)); break }
            regions.append((quote, close))
            position = close + 1
        }
        // Walk back from the last line feed until one lies outside every quoted region.
        var limit = count
        var regionIndex = regions.count - 1
        while limit > 0 {
            // The last line feed is normally within one record of `limit`: a backward loop.
            var newline = limit - 1
            while newline >= 0 && bytes[newline] != 0x0A { newline -= 1 }
            if newline < 0 { return nil }
            while regionIndex >= 0 && regions[regionIndex].open > newline { regionIndex -= 1 }
            if regionIndex >= 0 && newline < regions[regionIndex].close {
                limit = regions[regionIndex].open
                continue
            }
            return newline + 1
        }
        return nil
    }

    /// The next item from the mapping: a window of about `chunkSize` bytes cut at its last
    /// record boundary, widened when a record is longer than the window.
    private func nextMapped(_ mapping: MappedFile) -> Item? {
        let size = mapping.count
        let start = mappedPosition
        guard start < size else { return nil }
        var windowEnd = min(start + chunkSize, size)
        while true {
            let atEndNow = windowEnd == size
            let count = windowEnd - start
            if let boundary = lastRecordBoundary(base: mapping.base + start, count: count, atEnd: atEndNow) {
                return .chunk(mappedChunk(mapping, start: start, count: boundary, isLast: atEndNow && boundary == count))
            }
            if atEndNow { return .chunk(mappedChunk(mapping, start: start, count: count, isLast: true)) }
            if count >= maxRecordBytes { return skipMappedOversizedRecord(mapping, from: start) }
            windowEnd = min(start + min(count * 2, maxRecordBytes + 1), size)
        }
    }

    private func mappedChunk(_ mapping: MappedFile, start: Int, count: Int, isLast: Bool) -> CSVChunk {
        let chunk = CSVChunk(sequence: nextSequence, inputOffset: Int64(start),
                             storage: UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(mutating: mapping.base + start), count: count),
                             count: count, isLast: isLast, mapping: mapping)
        nextSequence += 1
        mappedPosition = start + count
        return chunk
    }

    /// Skips a record longer than `maxRecordBytes` in the mapping (same quote rules as the parser).
    private func skipMappedOversizedRecord(_ mapping: MappedFile, from start: Int) -> Item {
        let bytes = mapping.base.assumingMemoryBound(to: UInt8.self)
        let prefix = Array(UnsafeRawBufferPointer(start: mapping.base + start, count: min(1024, mapping.count - start)))
        var scanner = RecordEndScanner()
        var index = start
        defer { nextSequence += 1 }
        while index < mapping.count {
            let ended = scanner.consume(bytes[index])
            index += 1
            if ended {
                mappedPosition = index
                return .oversizedRecord(sequence: nextSequence, prefix: prefix, newlines: scanner.newlines, terminated: true)
            }
        }
        mappedPosition = mapping.count
        return .oversizedRecord(sequence: nextSequence, prefix: prefix, newlines: scanner.newlines, terminated: false)
    }

    /// Skips a record longer than `maxRecordBytes`, keeping its first bytes for reporting.
    private func skipOversizedRecord() throws(CSVError) -> Item {
        let prefixLength = min(filled, 1024)
        let prefix = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<prefixLength]))
        var scanner = RecordEndScanner()
        var skipped: Int64 = 0
        while true {
            let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var index = 0
            while index < filled {
                let ended = scanner.consume(bytes[index])
                index += 1
                if ended {
                    let rest = filled - index
                    buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + index, byteCount: rest)
                    skipped += Int64(index)
                    consumedOffset += skipped
                    filled = rest
                    defer { nextSequence += 1 }
                    return .oversizedRecord(sequence: nextSequence, prefix: prefix, newlines: scanner.newlines, terminated: true)
                }
            }
            skipped += Int64(filled)
            filled = 0
            if atEnd {
                consumedOffset += skipped
                defer { nextSequence += 1 }
                return .oversizedRecord(sequence: nextSequence, prefix: prefix, newlines: scanner.newlines, terminated: false)
            }
            try fill(upTo: buffer.count)
        }
    }
}

/// A whole regular file mapped read-only. Chunks keep it alive; each chunk releases its pages
/// when done (`MADV_DONTNEED`), so resident memory stays near the chunks in flight.
final class MappedFile: @unchecked Sendable { // read-only mapping, immutable after init
    let base: UnsafeRawPointer
    let count: Int

    /// Maps `fileDescriptor` if it is a non-empty regular file; `nil` otherwise (pipes, stdin).
    init?(fileDescriptor: Int32) {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fileDescriptor, 0), address != MAP_FAILED else { return nil }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(address)
        count = size
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

    /// Drops the whole pages inside `[start, start + length)` from this process's memory.
    func release(start: Int, length: Int) {
        let page = 4096
        let first = (start + page - 1) / page * page
        let last = (start + length) / page * page
        guard last > first else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + first), last - first, MADV_DONTNEED)
    }
}

/// Finds the end of a record byte by byte with the parser's quote rules (a quote opens a quoted
/// field only at a field start; a doubled quote inside stays inside). For skipping records too
/// long to buffer.
struct RecordEndScanner {
    private var inQuotes = false
    private var pendingQuote = false
    private var previous: UInt8 = 0x0A
    /// Line feeds seen, including the terminating one.
    private(set) var newlines = 0

    /// Consumes one byte; `true` when it is the line feed that ends the record.
    mutating func consume(_ byte: UInt8) -> Bool {
        if inQuotes {
            if pendingQuote {
                pendingQuote = false
                if byte == 0x22 { previous = byte; return false }
                inQuotes = false
            } else {
                if byte == 0x22 { pendingQuote = true }
                if byte == 0x0A { newlines += 1 }
                previous = byte
                return false
            }
        }
        if byte == 0x22 && (previous == 0x2C || previous == 0x0A) { inQuotes = true }
        if byte == 0x0A {
            newlines += 1
            return true
        }
        previous = byte
        return false
    }
}
