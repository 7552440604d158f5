/// UTF-8 validation with an ASCII fast path.
public enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        // Fast path: 8 ASCII bytes at a time.
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            if index + length > count { return false }
            let second = bytes[index + 1]
            if second < lower || second > upper { return false }
            var k = 2
            while k < length {
                if bytes[index + k] & 0xC0 != 0x80 { return false }
                k += 1
            }
            index += length
        }
        return true
    }

    /// Whether `bytes` contain a NUL byte.
    @inlinable
    public static func containsNUL(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte == 0 { return true }
        return false
    }
}
