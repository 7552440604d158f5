import LendingModel

/// The customer base beyond the applicants, and the blacklist entries that no application
/// should hit: people who never apply, and expired entries of clean applicants.
extension World {
    /// People in the customer base who never apply in the period.
    mutating func generateNonApplicants(count: Int, _ rng: inout SplitMix64) -> Range<Int> {
        let first = population.count
        for _ in 0..<count { _ = makePerson(row: anyRow(&rng), first: 0, last: 0, profile: .clean, &rng) }
        return first..<population.count
    }

    /// Entries for people who never apply (`perFraudEntry` per blacklisted applicant; 85% still
    /// valid, 15% expired), and expired entries that match about 0.2% of clean applicants.
    mutating func completeBlacklist(nonApplicants: Range<Int>, perFraudEntry: Int, _ rng: inout SplitMix64) {
        let typeTable = WeightedTable([35, 25, 15, 10, 10, 5])
        let types: [BlacklistValueType] = [.idNumber, .phone, .deviceID, .bankCard, .ip, .contactPhone]
        var candidates = Array(nonApplicants)
        rng.shuffle(&candidates)
        for _ in 0..<(perFraudEntry * blacklist.count) {
            let type = types[typeTable.pick(&rng)]
            let value: String
            switch type {
            case .idNumber:
                if let index = candidates.popLast(), rng.chance(0.5) {
                    value = population[index].idNumber
                } else {
                    let row = anyRow(&rng)
                    value = factory.idNumber(region: Regions.birthTable.pick(&rng), male: credit.male[row], age: credit.age[row],
                                             first: configuration.start, last: configuration.start, &rng)
                }
            case .phone, .contactPhone: value = factory.phone(virtual: rng.chance(0.3), &rng)
            case .deviceID: value = factory.device(&rng)
            case .bankCard: value = factory.bankCard(&rng)
            case .ip: value = factory.ip(in: IdentityFactory.broadbandRanges, &rng)
            }
            let validUntil = rng.chance(0.85) ? configuration.end.adding(days: rng.int(30...1000))
                                              : configuration.start.adding(days: -rng.int(1...700))
            blacklist.append(BlacklistEntry(type: type, value: value, reason: reason(type, &rng), validUntil: validUntil))
        }
        let expiredTable = WeightedTable([40, 30, 15, 15])
        for person in cleanPeople where rng.chance(0.002) {
            let type = types[expiredTable.pick(&rng)]
            let value = switch type {
            case .idNumber: person.idNumber
            case .phone: person.phone
            case .deviceID: person.device
            default: person.bankCard
            }
            blacklist.append(BlacklistEntry(type: type, value: value, reason: reason(type, &rng),
                                            validUntil: configuration.start.adding(days: -rng.int(1...365))))
        }
    }
}
