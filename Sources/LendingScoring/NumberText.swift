/// Parses decimal numbers from field bytes without allocating (the CSV path and the library API agree).
public enum NumberText {
    @usableFromInline
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses `[spaces][+|-]digits[.digits][(e|E)[+|-]digits][spaces]`, correctly rounded.
    ///
    /// Uses Clinger's exact fast path (at most 15 significant digits and a power of ten up to
    /// 22, where one multiplication or division of exact doubles is correctly rounded) and
    /// falls back to the standard library's parser otherwise.
    /// - Returns: `nil` for anything else, including empty text, `nan` and `inf`.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var index = 0
        var stop = bytes.count
        while index < stop && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
        while stop > index && (bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09) { stop -= 1 }
        guard index < stop else { return nil }
        let textStart = index
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digitsSeen = 0
        var exponent = 0
        var exact = true
        while index < stop, bytes[index] &- 0x30 < 10 {
            let digit = UInt64(bytes[index] &- 0x30)
            digitsSeen += 1
            if mantissa != 0 || digit != 0 { significantDigits += 1 }
            if significantDigits <= 19 { mantissa = mantissa &* 10 &+ digit } else { exponent += 1; exact = false }
            index += 1
        }
        if index < stop && bytes[index] == 0x2E {
            index += 1
            while index < stop, bytes[index] &- 0x30 < 10 {
                let digit = UInt64(bytes[index] &- 0x30)
                digitsSeen += 1
                if mantissa != 0 || digit != 0 { significantDigits += 1 }
                if significantDigits <= 19 { mantissa = mantissa &* 10 &+ digit; exponent -= 1 } else if digit != 0 { exact = false }
                index += 1
            }
        }
        guard digitsSeen > 0 else { return nil }
        if index < stop && (bytes[index] == 0x65 || bytes[index] == 0x45) {
            index += 1
            var exponentNegative = false
            if index < stop && (bytes[index] == 0x2D || bytes[index] == 0x2B) {
                exponentNegative = bytes[index] == 0x2D
                index += 1
            }
            var explicit = 0
            var exponentDigits = 0
            while index < stop, bytes[index] &- 0x30 < 10 {
                if explicit < 100_000 { explicit = explicit * 10 + Int(bytes[index] &- 0x30) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -explicit : explicit
        }
        guard index == stop else { return nil }
        if exact && significantDigits <= 15 && exponent == 0 {
            let value = Double(mantissa)
            return negative ? -value : value
        }
        if exact && significantDigits <= 15 && exponent >= -22 && exponent <= 22 {
            let value = Double(mantissa)
            let scaled = exponent >= 0 ? value * powersOfTen[exponent] : value / powersOfTen[-exponent]
            return negative ? -scaled : scaled
        }
        // Slow path: the standard library's correctly rounded parser.
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[textStart..<stop]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
