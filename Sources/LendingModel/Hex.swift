/// Lower-case hexadecimal text of bytes (digests, keyed hashes).
@inlinable
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        text.append(hexDigit(byte >> 4))
        text.append(hexDigit(byte & 15))
    }
    return String(decoding: text, as: UTF8.self)
}

@inlinable @inline(__always)
@usableFromInline func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 48 + value : 87 + value }

/// The value of one hex digit (either case), or `nil`.
@inlinable @inline(__always)
public func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case 48...57: digit - 48
    case 97...102: digit - 87
    case 65...70: digit - 55
    default: nil
    }
}

/// The bytes that hex text (either case, an even number of digits) stands for, or `nil`.
public func hexBytes(_ text: some StringProtocol) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var result: [UInt8] = []
    result.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
        guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
        result.append(high << 4 | low)
        index += 2
    }
    return result
}
