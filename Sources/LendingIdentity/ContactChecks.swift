import LendingModel

/// A mainland mobile number: 11 digits starting 1[3-9]. `+86`, `0086`, spaces and dashes are
/// accepted and removed.
public enum MobilePhone {
    public static func normalise(_ text: String) -> String? {
        var digits = text.filter { $0 != " " && $0 != "-" }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("0086") { digits.removeFirst(4) }
        let bytes = Array(digits.utf8)
        guard bytes.count == 11, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), bytes[0] == UInt8(ascii: "1"),
              bytes[1] >= UInt8(ascii: "3") else { return nil }
        return digits
    }
}

/// A bank card number: 16 to 19 digits passing the Luhn check; spaces are removed.
public enum BankCard {
    public static func normalise(_ text: String) -> String? {
        let digits = text.filter { $0 != " " }
        let bytes = Array(digits.utf8)
        guard (16...19).contains(bytes.count), bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), luhnValid(bytes) else { return nil }
        return digits
    }

    /// The Luhn (mod 10) check over ASCII digits.
    public static func luhnValid(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (position, byte) in digits.reversed().enumerated() {
            var digit = Int(byte - 48)
            if position % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }
}

extension MobilePhone {
    /// Prefixes of virtual-operator (MVNO) numbers: cheap, easily bought in bulk, and far more
    /// common in fraud than in genuine applications.
    public static let virtualOperatorPrefixes: Set<String> = ["162", "165", "167", "170", "171"]

    /// Whether a normalised number belongs to a virtual operator.
    public static func isVirtualOperator(_ normalised: String) -> Bool {
        normalised.utf8.count == 11 && virtualOperatorPrefixes.contains(String(normalised.prefix(3)))
    }
}
