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
