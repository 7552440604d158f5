/// An annual interest rate, held exactly as parts per million (`0.1825` is 182 500 ppm).
///
/// Files and JSON write rates as decimals (`"0.1825"`, at most 6 decimals); inside the program
/// they are integers, so interest is computed with integer arithmetic and one named rounding.
public struct AnnualRate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The rate in millionths (1 000 000 is 100%).
    public var partsPerMillion: Int64

    public init(partsPerMillion: Int64) { self.partsPerMillion = partsPerMillion }

    /// A rate from basis points (1825 is 18.25%).
    public init(basisPoints: Int64) { partsPerMillion = basisPoints * 100 }

    public static let zero = AnnualRate(partsPerMillion: 0)

    /// Parses a decimal rate with at most 6 decimals (`"0.1825"`, `"0.24"`, `"1"`).
    /// - Returns: `nil` for a sign, a seventh decimal, or anything that is not such a number.
    @inlinable
    public init?(decimal text: some StringProtocol) {
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var inFraction = false
        var sawDigit = false
        for byte in Substring(text).utf8 {
            if byte == UInt8(ascii: ".") {
                if inFraction { return nil }
                inFraction = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            sawDigit = true
            let digit = Int64(byte - UInt8(ascii: "0"))
            if inFraction {
                fractionDigits += 1
                if fractionDigits > 6 { return nil }
                fraction = fraction * 10 + digit
            } else {
                whole = whole * 10 + digit
                if whole > 1_000 { return nil }
            }
        }
        guard sawDigit else { return nil }
        for _ in fractionDigits..<6 { fraction *= 10 }
        partsPerMillion = whole * 1_000_000 + fraction
    }

    /// Basis points, rounded half to even (for records kept in basis points).
    public var basisPoints: Int64 { Money.bankersDivide(partsPerMillion, by: 100) }

    /// The decimal text with no trailing zeros (`"0.1825"`, `"0"`).
    public var decimalString: String {
        let whole = partsPerMillion / 1_000_000
        var fraction = partsPerMillion % 1_000_000
        guard fraction != 0 else { return "\(whole)" }
        var digits = 6
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    public var description: String { decimalString }

    public static func < (lhs: AnnualRate, rhs: AnnualRate) -> Bool { lhs.partsPerMillion < rhs.partsPerMillion }

    /// Simple interest `principal × rate × days / daysInYear`, rounded half to even to the fen.
    ///
    /// The product is formed in 128 bits, so no principal that fits in `Money` overflows.
    /// - Precondition: `daysInYear > 0`, `days >= 0`.
    public func interest(on principal: Money, days: Int, daysInYear: Int) -> Money {
        precondition(daysInYear > 0 && days >= 0, "interest needs a positive year and non-negative days")
        let numerator = Int128(principal.fen) * Int128(partsPerMillion) * Int128(days)
        let denominator = Int128(daysInYear) * 1_000_000
        return Money(fen: Int64(AnnualRate.bankersDivide(numerator, by: denominator)))
    }

    /// Half-to-even division in 128 bits.
    public static func bankersDivide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        precondition(denominator > 0, "bankersDivide needs a positive denominator")
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        let twice = remainder.magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && quotient % 2 != 0) {
            quotient += numerator < 0 ? -1 : 1
        }
        return quotient
    }

    /// Decodes `"0.1825"` or the JSON number `0.1825` (rounded to the nearest millionth).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let rate = AnnualRate(decimal: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a rate such as \"0.1825\" (at most 6 decimals)")
            }
            self = rate
            return
        }
        let number = try container.decode(Double.self)
        guard number.isFinite, number >= 0, number <= 1_000 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a rate such as 0.1825")
        }
        partsPerMillion = Int64((number * 1_000_000).rounded())
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimalString)
    }
}
