/// An amount of money in fen (1/100 yuan), the only representation of money in the program.
///
/// Arithmetic traps on overflow; there is no `Double` anywhere in money. Conversions to and
/// from text name their rounding rule.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in fen.
    public var fen: Int64

    /// Creates an amount from a count of fen.
    public init(fen: Int64) { self.fen = fen }

    /// Zero fen.
    public static let zero = Money(fen: 0)

    /// Parses a decimal string in yuan with at most two decimals (`"5000.00"`, `"12.5"`, `"-3"`).
    ///
    /// No rounding is done: a third decimal is an error, not a rounding.
    /// - Returns: `nil` when the text is not such a number or does not fit in `Int64` fen.
    @inlinable
    public init?(yuan text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var whole: Int64 = 0
        var sawDigit = false
        var fraction: Int64 = 0
        var fractionDigits = 0
        var inFraction = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if inFraction { return nil }
                inFraction = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            sawDigit = true
            if inFraction {
                fractionDigits += 1
                if fractionDigits > 2 { return nil }
                fraction = fraction * 10 + digit
            } else {
                let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                whole = sum
            }
        }
        guard sawDigit else { return nil }
        if fractionDigits == 1 { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: 100)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        if o1 || o2 { return nil }
        self.fen = negative ? -total : total
    }

    /// The amount as yuan with exactly two decimals, as in files and JSON (`"5000.00"`).
    public var yuanString: String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        let sign = fen < 0 ? "-" : ""
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public var description: String { yuanString }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.fen += rhs.fen }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.fen -= rhs.fen }
    public static prefix func - (value: Money) -> Money { Money(fen: -value.fen) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Money(yuan: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not an amount in yuan with at most 2 decimals")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(yuanString)
    }
}

extension Money {
    /// Divides an integer product `numerator / denominator` with banker's rounding
    /// (half to even), the default rounding of the loan book.
    /// - Precondition: `denominator > 0`.
    public static func bankersDivide(_ numerator: Int64, by denominator: Int64) -> Int64 {
        precondition(denominator > 0, "bankersDivide needs a positive denominator")
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        let twice = remainder.magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && quotient % 2 != 0) {
            quotient += numerator < 0 ? -1 : 1
        }
        return quotient
    }
}
