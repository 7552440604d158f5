import LendingIdentity
import LendingModel

/// Clean applicants: mostly one application each, some twice or three times, a few pairs of
/// family members who share an address, a device or each other's phone as contact.
extension World {
    /// Share of new clean units that are a household pair (shared address): about 1.5% of people.
    static let householdPairRate = 0.0075
    /// Share of household pairs who also share a device (about 0.7% of people).
    static let sharedDeviceRate = 0.467
    /// Chance that a household member names the other as emergency contact.
    static let householdContactRate = 0.4
    /// Share of new clean units that are relatives living apart who name each other as contact.
    static let relativePairRate = 0.0025

    mutating func generateClean(count: Int, _ rng: inout SplitMix64) {
        var left = count
        while left > 0 {
            let u = rng.unit()
            if left >= 2 && u < Self.householdPairRate {
                left -= cleanPair(household: true, budget: left, &rng)
            } else if left >= 2 && u < Self.householdPairRate + Self.relativePairRate {
                left -= cleanPair(household: false, budget: left, &rng)
            } else {
                let row = anyRow(&rng)
                let times = schedule(Self.applicationCount(&rng, max: left), &rng)
                let person = makePerson(row: row, first: times[0], last: times[times.count - 1], profile: .clean, &rng)
                cleanPeople.append(person)
                applyRepeatedly(person, at: times, &rng)
                left -= times.count
            }
        }
    }

    /// 93.5% apply once, 6% twice, 0.5% three times.
    static func applicationCount(_ rng: inout SplitMix64, max: Int) -> Int {
        let u = rng.unit()
        return Swift.min(max, u < 0.005 ? 3 : u < 0.065 ? 2 : 1)
    }

    /// Moments of one person's applications: a second comes 1–10 days after the first, a third
    /// weeks later (7–14 days between each).
    func schedule(_ count: Int, _ rng: inout SplitMix64) -> [Int64] {
        let gaps = (1..<max(1, count)).map { _ in count == 2 ? rng.int(1...10) : rng.int(7...14) }
        let span = gaps.reduce(0, +)
        var day = min(cleanTime.days.pick(&rng), max(0, configuration.days - 1 - span))
        var times = [cleanTime.moment(day: day, &rng)]
        for gap in gaps {
            day = min(day + gap, configuration.days - 1)
            times.append(cleanTime.moment(day: day, &rng))
        }
        return times.sorted()
    }

    /// A person's applications: usually the same device and card; the channel often stays.
    mutating func applyRepeatedly(_ person: Person, at times: [Int64], label: SyntheticLabel = .clean, _ rng: inout SplitMix64) {
        var previous: SyntheticApplication?
        for time in times {
            var applicant = person
            if previous != nil {
                if rng.chance(0.15) { applicant.device = factory.device(&rng) }
                if rng.chance(0.05) { applicant.bankCard = factory.bankCard(&rng) }
            }
            var application: SyntheticApplication
            if let previous, rng.chance(0.6) {
                let merchant = previous.channel == .merchant && rng.chance(0.5) ? Merchants.index(of: previous.merchantID) : nil
                application = self.application(applicant, at: time, profile: .clean, channel: (previous.channel, previous.product),
                                               merchant: merchant, &rng)
            } else {
                application = self.application(applicant, at: time, profile: .clean, &rng)
            }
            add(application, at: time, label)
            previous = application
        }
    }

    /// Two clean people linked as family. Returns the applications made.
    mutating func cleanPair(household: Bool, budget: Int, _ rng: inout SplitMix64) -> Int {
        let firstRow = anyRow(&rng)
        let firstTimes = schedule(Self.applicationCount(&rng, max: budget - 1), &rng)
        var first = makePerson(row: firstRow, first: firstTimes[0], last: firstTimes[firstTimes.count - 1], profile: .clean, &rng)
        let secondRow = partnerRow(for: firstRow, &rng)
        let sharesDevice = household && rng.chance(Self.sharedDeviceRate)
        let secondCount = Self.applicationCount(&rng, max: budget - firstTimes.count)
        var secondTimes = schedule(secondCount, &rng)
        if sharesDevice {
            // Family members on one phone apply days apart.
            for _ in 0..<30 where !Self.apart(firstTimes, secondTimes, by: 2 * 86_400) { secondTimes = schedule(secondCount, &rng) }
        }
        var second = makePerson(row: secondRow, first: secondTimes[0], last: secondTimes[secondTimes.count - 1], profile: .clean, &rng)
        let contactRate = household ? Self.householdContactRate : 0.8
        if household { second.address = first.address }
        if sharesDevice { second.device = first.device }
        if rng.chance(contactRate) { first.contactPhone = second.phone }
        if rng.chance(contactRate) { second.contactPhone = first.phone }
        cleanPeople.append(first)
        cleanPeople.append(second)
        applyRepeatedly(first, at: firstTimes, &rng)
        applyRepeatedly(second, at: secondTimes, &rng)
        return firstTimes.count + secondTimes.count
    }

    /// A partner: the other sex where possible, an age within ten years.
    func partnerRow(for row: Int, _ rng: inout SplitMix64) -> Int {
        var candidate = anyRow(&rng)
        for _ in 0..<60 {
            if credit.male[candidate] != credit.male[row] && abs(credit.age[candidate] - credit.age[row]) <= 10 { break }
            candidate = anyRow(&rng)
        }
        return candidate
    }

    static func apart(_ a: [Int64], _ b: [Int64], by seconds: Int64) -> Bool {
        a.allSatisfy { x in b.allSatisfy { abs($0 - x) >= seconds } }
    }

    /// Clean applicants whose ID number a spreadsheet mangled (`3.60426E+17` or the last three
    /// digits zeroed); the population keeps the correct number.
    mutating func generateMangled(count: Int, _ rng: inout SplitMix64) {
        for _ in 0..<count {
            let time = cleanTime.moment(&rng)
            var person = makePerson(row: anyRow(&rng), first: time, last: time, profile: .clean, digitCheck: true, &rng)
            person.idNumber = Self.spreadsheetText(of: person.idNumber, scientific: rng.chance(0.5))
            add(application(person, at: time, profile: .clean, &rng), at: time, .mangledID)
        }
    }

    /// What a spreadsheet shows for an 18-digit number: 6 significant digits in scientific
    /// notation (`3.60426E+17`, rounded half up as spreadsheets do), or the 15 digits a spreadsheet
    /// keeps with the rest zeroed. A zeroed form that would still pass the checksum falls back
    /// to the scientific form, so every mangled number fails validation.
    static func spreadsheetText(of id: String, scientific: Bool) -> String {
        let digits = Array(id.utf8)
        let value = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
        if !scientific {
            let zeroed = Array(String(value / 1000 * 1000).utf8)
            if ResidentID.checkCharacter(for: zeroed[0..<17]) != Character(UnicodeScalar(zeroed[17])) {
                return String(decoding: zeroed, as: UTF8.self)
            }
        }
        let mantissa = (value + 500_000_000_000) / 1_000_000_000_000
        if mantissa >= 1_000_000 { return "1E+18" }
        var text = Array(String(mantissa).utf8)
        while text.count > 1 && text.last == UInt8(ascii: "0") { text.removeLast() }
        let head = String(UnicodeScalar(text[0]))
        let tail = String(decoding: text.dropFirst(), as: UTF8.self)
        return (tail.isEmpty ? head : head + "." + tail) + "E+17"
    }
}
