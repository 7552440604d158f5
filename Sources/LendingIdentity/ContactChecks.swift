import LendingModel

/// A mainland mobile number: 11 digits starting 1[3-9]. `+86`, `0086`, spaces and dashes are
/// accepted and removed.
public enum MobilePhone {
    public static func normalise(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for byte in text.utf8 where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") { bytes.append(byte) }
        if bytes.starts(with: [0x2B, 0x38, 0x36]) { bytes.removeFirst(3) } else if bytes.starts(with: [0x30, 0x30, 0x38, 0x36]) { bytes.removeFirst(4) }
        guard bytes.count == 11, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), bytes[0] == UInt8(ascii: "1"),
              bytes[1] >= UInt8(ascii: "3") else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A bank card number: 16 to 19 digits passing the Luhn check; spaces are removed.
public enum BankCard {
    public static func normalise(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        for byte in text.utf8 where byte != UInt8(ascii: " ") { bytes.append(byte) }
        guard (16...19).contains(bytes.count), bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }), luhnValid(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The Luhn (mod 10) check over ASCII digits.
    public static func luhnValid(_ digits: [UInt8]) -> Bool {
        var sum = 0
        var double = false
        for byte in digits.reversed() {
            var digit = Int(byte &- 48)
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
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
