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
}
