import LendingModel

/// A mainland China resident identity number (GB 11643): 6-digit region code, 8-digit birth
/// date, 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character.
///
/// Only the normalised text is kept; it is personal data, so `description` masks it.
public struct ResidentID: Sendable, Hashable, CustomStringConvertible {
    /// The normalised 18 characters (check character `X` upper-case).
    public let value: String
    public let birthDate: CalendarDay
    public let regionCode: String

    /// Why a text is not a valid resident ID number.
    public enum Problem: String, Error, Sendable, CaseIterable {
        case empty
        /// Looks like a spreadsheet turned the number into floating point (`3.60426E+17`).
        case mangledBySpreadsheet
        case length
        case characters
        case checksum
        case birthDate
        case region

        /// What is wrong and what to do, without the number itself.
        public var explanation: String {
            switch self {
            case .empty: "it is empty; give the 18-character number"
            case .mangledBySpreadsheet: "it looks like a spreadsheet turned it into a number (like 3.60426E+17); format the column as text and export again"
            case .length: "it does not have 18 characters"
            case .characters: "only digits are allowed, and X as the last character"
            case .checksum: "the check character does not match the other 17; check for a mistyped digit"
            case .birthDate: "its birth date (characters 7 to 14) is not a real date"
            case .region: "its region code (the first 6 digits) is not a known province"
            }
        }

        /// The decision reason for this problem.
        public var reason: DecisionReason {
            switch self {
            case .empty: "ID_NUMBER_MISSING"
            case .mangledBySpreadsheet: "ID_NUMBER_MANGLED"
            case .length: "ID_NUMBER_LENGTH"
            case .characters: "ID_NUMBER_CHARACTERS"
            case .checksum: "ID_NUMBER_CHECKSUM"
            case .birthDate: "ID_NUMBER_BIRTH_DATE"
            case .region: "ID_NUMBER_REGION"
            }
        }
    }

    /// Provincial-level codes of GB/T 2260 (the first two digits of the region code).
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    /// The check character for the first 17 digits.
    @inlinable
    public static func checkCharacter(for digits: some Collection<UInt8>) -> Character {
        Character(UnicodeScalar(checkByte(for: digits)))
    }

    /// The check character's ASCII byte for the first 17 digits (ISO 7064 MOD 11-2).
    @inlinable
    public static func checkByte(for digits: some Collection<UInt8>) -> UInt8 {
        // Weights 2^(17-i) mod 11 for positions 0...16.
        let weights: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        var sum = 0
        withUnsafeBytes(of: weights) { raw in
            let table = raw.bindMemory(to: Int.self)
            for (position, digit) in digits.prefix(17).enumerated() { sum += table[position] * Int(digit &- 48) }
        }
        // "10X98765432"
        let checks: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (49, 48, 88, 57, 56, 55, 54, 53, 52, 51, 50)
        return withUnsafeBytes(of: checks) { $0[sum % 11] }
    }

    /// Validates and normalises: surrounding spaces are trimmed and a lower-case `x` accepted.
    public static func parse(_ text: String) -> Result<ResidentID, Problem> {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        var start = 0
        while start < bytes.count && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        if start > 0 { bytes.removeFirst(start) }
        guard !bytes.isEmpty else { return .failure(.empty) }
        for index in bytes.indices where bytes[index] >= UInt8(ascii: "a") && bytes[index] <= UInt8(ascii: "z") { bytes[index] -= 32 }
        // Length in characters: bytes, unless the text is not ASCII.
        let length = bytes.allSatisfy { $0 < 0x80 } ? bytes.count : String(decoding: bytes, as: UTF8.self).count
        let hasExponent = zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "E") && $1 == UInt8(ascii: "+") }
        if hasExponent || (bytes.contains(UInt8(ascii: ".")) && length < 18) { return .failure(.mangledBySpreadsheet) }
        guard length == 18 else { return .failure(.length) }
        guard bytes.count == 18, bytes[0..<17].allSatisfy({ $0 >= 48 && $0 <= 57 }),
              (bytes[17] >= 48 && bytes[17] <= 57) || bytes[17] == UInt8(ascii: "X") else {
            return .failure(.characters)
        }
        guard bytes[17] == checkByte(for: bytes[0..<17]) else { return .failure(.checksum) }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        guard let birth = CalendarDay(year: number(6..<10), month: number(10..<12), day: number(12..<14)),
              number(6..<10) >= 1900 else {
            return .failure(.birthDate)
        }
        let province = number(0..<2)
        let special = province == 71 || province == 81 || province == 82
        guard provinceCodes.contains(province), number(2..<6) != 0 || special else { return .failure(.region) }
        return .success(ResidentID(value: String(decoding: bytes, as: UTF8.self), birthDate: birth,
                                   regionCode: String(decoding: bytes[0..<6], as: UTF8.self)))
    }

    static let provinceCodes: Set<Int> = Set(provinces.compactMap { Int($0) })

    /// Age in whole years on `day`.
    public func age(on day: CalendarDay) -> Int {
        let (y, m, d) = birthDate.components
        let (ty, tm, td) = day.components
        return ty - y - ((tm, td) < (m, d) ? 1 : 0)
    }

    /// Masked: region and last character only (`110105********002X` becomes `1101**********002X`).
    public var description: String { Masking.mask(value, keepFirst: 4, keepLast: 4) }
}

/// Masks personal data for logs and messages.
public enum Masking {
    public static func mask(_ text: String, keepFirst: Int, keepLast: Int) -> String {
        let characters = Array(text)
        guard characters.count > keepFirst + keepLast else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(keepFirst)) + String(repeating: "*", count: characters.count - keepFirst - keepLast)
            + String(characters.suffix(keepLast))
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var sub = Substring(self)
        while let first = sub.first, set.contains(first) { sub = sub.dropFirst() }
        while let last = sub.last, set.contains(last) { sub = sub.dropLast() }
        return String(sub)
    }
}
