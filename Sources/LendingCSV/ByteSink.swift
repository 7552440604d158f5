/// A growable output buffer written through a pointer, for the batch scorer's hot loop: the
/// caller reserves room once per row, then writes without per-byte capacity or uniqueness
/// checks. ``CSVOutputBuffer`` is the convenient form for everything else.
public struct ByteSink: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// Bytes written.
    public var count: Int { written }
    @usableFromInline var written = 0

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for at least `extra` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @usableFromInline
    mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @usableFromInline @inline(__always)
    mutating func advance(_ bytes: Int) { written += bytes }

    /// Empties the sink, keeping its memory.
    public mutating func removeAll() { written = 0 }

    /// The bytes written so far.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// A copy of the bytes as an array.
    public func makeArray() -> [UInt8] { Array(bytes) }

    // The writes below need room reserved by `reserve`.

    @inlinable @inline(__always)
    public mutating func writeByte(_ byte: UInt8) {
        base[count] = byte
        written += 1
    }

    @inlinable @inline(__always)
    public mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        if raw.count > 0 { (base + count).update(from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: raw.count) }
        written += raw.count
    }

    /// A field quoted as RFC 4180 needs (at most `2 * raw.count + 2` bytes).
    @inlinable
    public mutating func writeField(_ raw: UnsafeRawBufferPointer) {
        var needsQuotes = false
        for byte in raw where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes { writeBytes(raw); return }
        writeByte(0x22)
        for byte in raw {
            if byte == 0x22 { writeByte(0x22) }
            writeByte(byte)
        }
        writeByte(0x22)
    }

    /// A decimal integer (at most 20 bytes).
    @inlinable @inline(__always)
    public mutating func writeInt(_ value: Int64) {
        if value < 0 { writeByte(0x2D) }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        var position = count + digits - 1
        repeat {
            base[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        written += digits
    }

    /// A value in [0, 1] with six decimals, rounded half to even on the scaled value (8 bytes).
    @inlinable @inline(__always)
    public mutating func writeProbability(_ value: Double) {
        var scaled = Int64((value * 1_000_000).rounded(.toNearestOrEven))
        if scaled < 0 { scaled = 0 }
        if scaled > 1_000_000 { scaled = 1_000_000 }
        base[count] = scaled == 1_000_000 ? 0x31 : 0x30
        base[count + 1] = 0x2E
        var fraction = scaled % 1_000_000
        var position = count + 7
        while position > count + 1 {
            base[position] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
            fraction /= 10
            position -= 1
        }
        written += 8
    }

    /// A score: an integer when it is one, else the shortest text that reads back as the same
    /// double (at most 32 bytes).
    @inlinable
    public mutating func writeScore(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            writeInt(Int64(value))
        } else {
            var text = value.description
            text.withUTF8 { writeBytes(UnsafeRawBufferPointer($0)) }
        }
    }
}

extension ByteSink {
    /// The text the formatters write, for code that builds strings rather than buffers
    /// (`ByteSink.text { $0.writeProbability(p) }`). Room for 64 bytes is reserved.
    public static func text(_ write: (inout ByteSink) -> Void) -> String {
        var sink = ByteSink(capacity: 64)
        sink.reserve(64)
        write(&sink)
        return String(decoding: sink.bytes, as: UTF8.self)
    }
}
