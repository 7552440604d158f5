import LendingIdentity
import LendingModel

/// Makes identity values (ID numbers, phones, cards, devices, addresses, IPs) and keeps every
/// one unique across the run, so that values are shared only where the generator means them to be.
struct IdentityFactory {
    private var usedIDs = Set<UInt64>()
    private var usedPhones = Set<UInt64>()
    private var usedCards = Set<UInt64>()
    /// FNV-1a hashes of the addresses' UTF-8 (hashing Chinese text as `String` normalises it, which is slow).
    private var usedAddresses = Set<UInt64>()
    private var usedIPs = Set<UInt32>()

    // MARK: ID numbers

    /// A valid GB 11643 number for someone of `age` on every day from `first` to `last`.
    /// - Parameter digitCheck: require a digit (not `X`) as the check character.
    mutating func idNumber(region: Int, male: Bool, age: Int, first: CalendarDay, last: CalendarDay,
                           digitCheck: Bool = false, _ rng: inout SplitMix64) -> String {
        let code = Array(Regions.all[region].code.utf8)
        while true {
            let birth = Self.birthDate(age: age, first: first, last: last, &rng)
            let (year, month, day) = birth.components
            let sequence = male ? 2 * rng.below(500) + 1 : 2 * rng.int(1...499)
            var digits = code
            Self.appendDigits(year, width: 4, to: &digits)
            Self.appendDigits(month, width: 2, to: &digits)
            Self.appendDigits(day, width: 2, to: &digits)
            Self.appendDigits(sequence, width: 3, to: &digits)
            let key = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
            let check = ResidentID.checkCharacter(for: digits)
            if digitCheck && check == "X" { continue }
            guard usedIDs.insert(key).inserted else { continue }
            return String(decoding: digits, as: UTF8.self) + String(check)
        }
    }

    /// A birth date that makes the age exactly `age` on `first` and on `last` (at most a year apart).
    static func birthDate(age: Int, first: CalendarDay, last: CalendarDay, _ rng: inout SplitMix64) -> CalendarDay {
        // Born after `last` minus (age + 1) years and no later than `first` minus `age` years.
        let low = yearsBefore(last, age + 1).daysSinceEpoch
        let high = yearsBefore(first, age).daysSinceEpoch
        for _ in 0..<8 where high > low {
            let candidate = CalendarDay(daysSinceEpoch: low + 1 + rng.below(high - low))
            if self.age(born: candidate, on: first) == age && self.age(born: candidate, on: last) == age { return candidate }
        }
        return yearsBefore(first, age)
    }

    /// The same month and day `years` earlier (28 February for a 29 February in a common year).
    static func yearsBefore(_ day: CalendarDay, _ years: Int) -> CalendarDay {
        let (y, m, d) = day.components
        return CalendarDay(year: y - years, month: m, day: min(d, CalendarDay.daysIn(year: y - years, month: m)))!
    }

    /// Whole years from `born` to `day` (the rule of ``ResidentID/age(on:)``).
    static func age(born: CalendarDay, on day: CalendarDay) -> Int {
        let (y, m, d) = born.components
        let (ty, tm, td) = day.components
        return ty - y - ((tm, td) < (m, d) ? 1 : 0)
    }

    static func appendDigits(_ value: Int, width: Int, to digits: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            digits.append(UInt8(48 + (value / divisor) % 10))
            divisor /= 10
        }
    }

    // MARK: Phones

    /// Mobile prefixes of the three carriers with their rough share of numbers.
    static let carrierPrefixes: [(Int, Double)] =
        (130...139).map { ($0, 3.5) } + [150, 151, 152, 153, 155, 156, 157, 158, 159].map { ($0, 2.8) }
        + (180...189).map { ($0, 2.5) } + [(166, 2.0)] + [173, 175, 176, 177, 178].map { ($0, 1.4) }
        + [191, 193, 195, 196, 197, 198, 199].map { ($0, 0.9) }
    /// Virtual-operator (MVNO) segments.
    static let virtualPrefixes: [(Int, Double)] = [(170, 35), (171, 30), (162, 10), (165, 15), (167, 10)]
    static let carrierTable = WeightedTable(carrierPrefixes.map(\.1))
    static let virtualTable = WeightedTable(virtualPrefixes.map(\.1))

    /// A new 11-digit mobile number.
    mutating func phone(virtual: Bool, _ rng: inout SplitMix64) -> String {
        let prefix = virtual ? Self.virtualPrefixes[Self.virtualTable.pick(&rng)].0 : Self.carrierPrefixes[Self.carrierTable.pick(&rng)].0
        while true {
            let number = UInt64(prefix) * 100_000_000 + UInt64(rng.below(100_000_000))
            if usedPhones.insert(number).inserted { return String(number) }
        }
    }

    // MARK: Bank cards

    /// UnionPay debit BINs of large banks, with the card length each issues.
    static let debitBINs: [(bin: UInt64, length: Int, weight: Double)] = [
        (622202, 19, 8), (621226, 19, 6), (621558, 19, 3), // ICBC
        (622848, 19, 9), // ABC
        (621700, 19, 6), (622700, 19, 5), (623668, 19, 2), // CCB
        (621661, 19, 5), (621785, 19, 2), // BOC
        (622262, 19, 3), (622260, 19, 2), // BoCom
        (622588, 16, 3), (621483, 16, 2), (621485, 16, 2), // CMB
        (621799, 19, 4), (622188, 19, 2), (621098, 19, 2), // PSBC
        (622690, 16, 1), (622609, 16, 1),
    ]
    static let binTable = WeightedTable(debitBINs.map(\.weight))

    /// A new Luhn-valid debit card number.
    mutating func bankCard(_ rng: inout SplitMix64) -> String {
        let issuer = Self.debitBINs[Self.binTable.pick(&rng)]
        while true {
            var payload = issuer.bin
            for _ in 0..<(issuer.length - 7) { payload = payload * 10 + UInt64(rng.below(10)) }
            let number = payload * 10 + UInt64(Self.luhnDigit(payload))
            if usedCards.insert(number).inserted { return String(number) }
        }
    }

    /// The Luhn check digit to append to `payload`.
    static func luhnDigit(_ payload: UInt64) -> Int {
        var sum = 0
        var rest = payload
        var double = true
        while rest > 0 {
            var digit = Int(rest % 10)
            if double { digit *= 2; if digit > 9 { digit -= 9 } }
            sum += digit
            double.toggle()
            rest /= 10
        }
        return (10 - sum % 10) % 10
    }

    // MARK: Addresses

    /// A new household address in a region: `广东省深圳市南山区科技路88号阳光花园3栋1202室`.
    mutating func address(region: Int, _ rng: inout SplitMix64) -> String {
        let prefix = Regions.all[region].addressPrefix
        while true {
            let street = rng.element(Regions.streets) + "\(rng.int(1...399))号"
            let room = "\(rng.int(1...32) * 100 + rng.int(1...4))室"
            let text: String
            switch rng.below(10) {
            case 0..<5:
                text = prefix + street + rng.element(Regions.compoundFirst) + rng.element(Regions.compoundSecond) + "\(rng.int(1...28))栋" + room
            case 5..<8:
                text = prefix + street + "\(rng.int(1...20))号楼\(rng.int(1...6))单元" + room
            default:
                text = prefix + street + "\(rng.int(1...6))楼" + "\(rng.int(1...20))号"
            }
            if usedAddresses.insert(Self.fnv1a(text)).inserted { return text }
        }
    }

    /// The 64-bit FNV-1a hash of a text's UTF-8 bytes (deterministic, unlike `Hasher`).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    // MARK: Devices and IPs

    /// A new device id: 32 lower-case hexadecimal characters.
    func device(_ rng: inout SplitMix64) -> String { rng.hex32() }

    /// First two octets of mobile-carrier ranges (carrier-grade NAT addresses).
    static let mobileRanges: [(UInt32, UInt32)] = [
        (223, 104), (223, 105), (117, 136), (117, 147), (39, 144), (39, 149), (112, 96), (112, 97), (120, 229), (111, 18),
        (111, 55), (183, 192), (36, 143), (106, 39), (114, 88), (180, 102), (101, 88), (42, 91), (171, 113), (27, 38),
    ]
    /// First two octets of fixed-broadband ranges (shops, homes, residential proxies).
    static let broadbandRanges: [(UInt32, UInt32)] = [
        (116, 231), (183, 14), (218, 17), (113, 87), (61, 140), (123, 112), (59, 42), (125, 118), (115, 236), (222, 93),
        (182, 138), (121, 35), (60, 186), (58, 49), (110, 52), (14, 127), (219, 136), (124, 78), (171, 8), (222, 128),
    ]

    /// A new IPv4 address in one of `ranges`.
    mutating func ip(in ranges: [(UInt32, UInt32)], _ rng: inout SplitMix64) -> String {
        while true {
            let (a, b) = rng.element(ranges)
            let value = a << 24 | b << 16 | UInt32(rng.below(256)) << 8 | UInt32(rng.int(1...254))
            if usedIPs.insert(value).inserted {
                return "\(value >> 24).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)"
            }
        }
    }
}
