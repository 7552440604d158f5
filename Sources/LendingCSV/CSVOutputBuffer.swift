/// A growable byte buffer that formats CSV fields without allocating per field.
public struct CSVOutputBuffer: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 1 << 16) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inlinable @inline(__always)
    public mutating func appendByte(_ byte: UInt8) { bytes.append(byte) }

    public mutating func appendComma() { bytes.append(0x2C) }
    public mutating func appendNewline() { bytes.append(0x0A) }

    /// Appends raw bytes as they are.
    public mutating func appendRaw(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    /// Appends a field, quoting it when it holds a comma, quote, CR or LF (RFC 4180).
    public mutating func appendField(_ raw: UnsafeRawBufferPointer) {
        var needsQuotes = false
        for byte in raw where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes { bytes.append(contentsOf: raw); return }
        bytes.append(0x22)
        for byte in raw {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// Appends a string field, quoted when needed.
    public mutating func appendField(_ text: String) {
        var copy = text
        copy.withUTF8 { appendField(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a record of string fields and a line feed.
    public mutating func appendRecord(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { appendComma() }
            appendField(field)
        }
        appendNewline()
    }

    /// Appends a decimal integer.
    @inlinable
    public mutating func appendInt(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    /// Appends a non-negative value with exactly `decimals` decimals, rounded half to even
    /// on the scaled value (`0.123457`).
    @inlinable
    public mutating func appendFixed(_ value: Double, decimals: Int) {
        var scale = 1.0
        var divisor: Int64 = 1
        for _ in 0..<decimals { scale *= 10; divisor *= 10 }
        let negative = value < 0
        let scaled = Int64((abs(value) * scale).rounded(.toNearestOrEven))
        if negative && scaled != 0 { bytes.append(0x2D) }
        appendInt(scaled / divisor)
        guard decimals > 0 else { return }
        bytes.append(0x2E)
        var fraction = scaled % divisor
        var place = divisor / 10
        while place > 0 {
            bytes.append(UInt8(truncatingIfNeeded: fraction / place) &+ 0x30)
            fraction %= place
            place /= 10
        }
    }

    /// Appends a score: an integer when it is one, otherwise the shortest text that reads
    /// back as the same double.
    @inlinable
    public mutating func appendScore(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            appendInt(Int64(value))
        } else {
            var text = value.description
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }
}
