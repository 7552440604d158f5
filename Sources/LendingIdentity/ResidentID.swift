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

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
    /// Provincial-level codes of GB/T 2260 (the first two digits of the region code).
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    /// The check character for the first 17 digits.
    public static func checkCharacter(for digits: some Collection<UInt8>) -> Character {
        var sum = 0
        for (weight, digit) in zip(weights, digits) { sum += weight * Int(digit - 48) }
        return checkCharacters[sum % 11]
    }

    /// Validates and normalises: surrounding spaces are trimmed and a lower-case `x` accepted.
    public static func parse(_ text: String) -> Result<ResidentID, Problem> {
        let trimmed = text.trimmingCharacters(in: " \t")
        guard !trimmed.isEmpty else { return .failure(.empty) }
        let upper = trimmed.uppercased()
        if upper.contains("E+") || (upper.contains(".") && upper.count < 18) { return .failure(.mangledBySpreadsheet) }
        guard upper.count == 18 else { return .failure(.length) }
        let bytes = Array(upper.utf8)
        guard bytes[0..<17].allSatisfy({ $0 >= 48 && $0 <= 57 }), (bytes[17] >= 48 && bytes[17] <= 57) || bytes[17] == UInt8(ascii: "X") else {
            return .failure(.characters)
        }
        guard Character(UnicodeScalar(bytes[17])) == checkCharacter(for: bytes[0..<17]) else { return .failure(.checksum) }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        guard let birth = CalendarDay(year: number(6..<10), month: number(10..<12), day: number(12..<14)),
              number(6..<10) >= 1900 else {
            return .failure(.birthDate)
        }
        let region = String(decoding: bytes[0..<6], as: UTF8.self)
        guard provinces.contains(String(region.prefix(2))), !region.hasSuffix("0000") || region.prefix(2) == "71" || region.prefix(2) == "81" || region.prefix(2) == "82" else {
            return .failure(.region)
        }
        return .success(ResidentID(value: upper, birthDate: birth, regionCode: region))
    }

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
