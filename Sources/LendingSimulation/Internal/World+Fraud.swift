import LendingModel

/// The fraud kinds. Each uses identities stolen from the population (they appear in it like
/// everybody else) and draws its soft signals from distributions that overlap clean ones; what
/// gives it away is the pattern across applications.
extension World {
    /// An online channel for fraud that does not go through a merchant (app, sometimes h5).
    func onlineChannel(_ rng: inout SplitMix64) -> (Channel, Product) {
        (rng.chance(0.8) ? .app : .h5, rng.chance(0.30 / 0.65) ? .revolving : .installment)
    }

    // MARK: Rings

    /// Rings of 4–30 members (median about 10) sharing 1–3 devices, 1–2 proxy IPs, an address
    /// and an organiser's phone as contact, applying within 2–72 hours.
    mutating func generateRings(count: Int, _ rng: inout SplitMix64) {
        let sizes = Self.groupSizes(total: count, range: 4...30, draw: { Int($0.logNormal(median: 10, sigma: 0.5).rounded()) }, &rng)
        for (index, size) in sizes.enumerated() { ring(Self.label("R", index + 1), size: size, &rng) }
    }

    mutating func ring(_ group: String, size: Int, _ rng: inout SplitMix64) {
        let window = self.window(length: Int64(rng.int(2 * 3600...72 * 3600)), profile: fraudTime, &rng)
        let times = moments(size, in: window, &rng)
        let u = rng.unit()
        let devices = (0..<(u < 0.5 ? 1 : u < 0.85 ? 2 : 3)).map { _ in factory.device(&rng) }
        let proxies = (0..<(rng.chance(0.6) ? 1 : 2)).map { _ in factory.ip(in: IdentityFactory.broadbandRanges, &rng) }
        let sharedAddress = factory.address(region: Regions.destinations[Regions.destinationTable.pick(&rng)], &rng)
        let organiser = factory.phone(virtual: rng.chance(0.5), &rng)
        // Identities bought from one leak tend to come from a few regions.
        let leak = [Regions.birthTable.pick(&rng), Regions.birthTable.pick(&rng)]
        let merchant: Int? = rng.chance(0.4) ? merchants.pick(&rng) : nil
        var members: [Person] = []
        for time in times {
            let region = rng.chance(0.5) ? rng.element(leak) : nil
            members.append(makePerson(row: anyRow(&rng), first: time, last: time, profile: .fraud, region: region, &rng))
        }
        for (index, time) in times.enumerated() {
            var member = members[index]
            if !rng.chance(0.2) { member.device = rng.element(devices) }
            if rng.chance(0.4) { member.address = sharedAddress }
            let contact = rng.unit()
            if contact < 0.6 {
                member.contactPhone = organiser
            } else if contact < 0.9 && size > 1 {
                var other = rng.below(size - 1)
                if other >= index { other += 1 }
                member.contactPhone = members[other].phone
            }
            var application = self.application(member, at: time, profile: .fraud, channel: merchant == nil ? onlineChannel(&rng) : nil,
                                               merchant: merchant, &rng)
            if rng.chance(0.7) { application.ip = rng.element(proxies) }
            add(application, at: time, .ring, group: group)
        }
    }

    // MARK: Surge

    /// Every surge application through one mid-sized merchant in one daytime hour, at 2–3
    /// promotion prices; the applicants look genuine. Returns the merchant.
    mutating func generateSurge(count: Int, _ rng: inout SplitMix64) -> Int? {
        guard count > 0 else { return nil }
        let merchant = rng.int(14...39)
        let start = Int64(rng.below(configuration.days)) * 86_400 + Int64(rng.int(10 * 60...16 * 60)) * 60
        let promotions: [Int64] = [3999, 4999, 5999, 6999, 7999, 8999]
        let first = rng.below(promotions.count - 2)
        let prices = Array(promotions[first..<(first + (rng.chance(0.5) ? 2 : 3))])
        let priceTable = WeightedTable(Array([55.0, 30, 15].prefix(prices.count)))
        let termTable = WeightedTable([20, 60, 20])
        for _ in 0..<count {
            let time = start + Int64(rng.below(3600))
            let person = makePerson(row: anyRow(&rng), first: time, last: time, profile: .surge, &rng)
            var application = self.application(person, at: time, profile: .surge, merchant: merchant, &rng)
            application.requestedAmount = Money(fen: prices[priceTable.pick(&rng)] * 100)
            application.termMonths = [6, 12, 24][termTable.pick(&rng)]
            add(application, at: time, .surge, group: merchants.ids[merchant])
        }
        return merchant
    }

    // MARK: Collusion

    /// Three small-to-mid merchants booking fake purchases in business hours over the whole
    /// period, mostly at one repeated amount, from a few staff devices and their shop IPs.
    mutating func generateCollusion(count: Int, avoiding surgeMerchant: Int?, _ rng: inout SplitMix64) {
        guard count > 0 else { return }
        var chosen: [Int] = []
        while chosen.count < 3 {
            let merchant = rng.int(39...199)
            if merchant != surgeMerchant && !chosen.contains(merchant) { chosen.append(merchant) }
        }
        let shares = apportion(count, weights: chosen.map { _ in 0.8 + 0.4 * rng.unit() })
        for (merchant, share) in zip(chosen, shares) {
            let staffDevices = (0..<rng.int(3...6)).map { _ in factory.device(&rng) }
            let shopIPs = Array(merchants.shopIPs[merchant].prefix(rng.chance(0.5) ? 1 : 2))
            let repeated = rng.chance(0.5) ? AmountModel.cap : Money(fen: rng.element([4_999_900, 4_980_000, 3_999_900, 4_500_000]))
            for _ in 0..<share {
                let time = Int64(rng.below(configuration.days)) * 86_400 + Int64(rng.int(9 * 3600...21 * 3600 - 1))
                let person = makePerson(row: anyRow(&rng), first: time, last: time, profile: .fraud, &rng)
                var application = self.application(person, at: time, profile: .fraud, merchant: merchant, &rng)
                // The rest look like the shop's ordinary sales.
                application.requestedAmount = rng.chance(0.8) ? repeated : AmountModel.purchase(capRate: SignalProfile.clean.maximumPurchase, &rng)
                if rng.chance(0.7) { application.deviceID = rng.element(staffDevices) }
                if rng.chance(0.8) { application.ip = rng.element(shopIPs) }
                add(application, at: time, .collusion, group: merchants.ids[merchant])
            }
        }
    }

    // MARK: Velocity

    /// Abusers making 4–12 applications within 6–72 hours: the same identity on new devices
    /// (half), one device with 3–8 identities (30%), or one card with several identities (20%).
    mutating func generateVelocity(count: Int, _ rng: inout SplitMix64) {
        let sizes = Self.groupSizes(total: count, range: 4...12, draw: { $0.int(4...12) }, &rng)
        for (index, size) in sizes.enumerated() {
            let group = Self.label("V", index + 1)
            let window = self.window(length: Int64(rng.int(6 * 3600...72 * 3600)), profile: fraudTime, &rng)
            let times = moments(size, in: window, &rng)
            let u = rng.unit()
            if u < 0.5 {
                sameIdentity(times, group: group, &rng)
            } else if u < 0.8 {
                manyIdentities(times, group: group, sharing: .deviceID, &rng)
            } else {
                manyIdentities(times, group: group, sharing: .bankCard, &rng)
            }
        }
    }

    /// Pattern A: one id and phone, a new device and a new merchant or amount each time.
    mutating func sameIdentity(_ times: [Int64], group: String, _ rng: inout SplitMix64) {
        let person = makePerson(row: anyRow(&rng), first: times[0], last: times[times.count - 1], profile: .fraud, &rng)
        let viaMerchants = rng.chance(0.6)
        let homeIP = nat.pick(&rng)
        var used: Set<Int> = []
        for time in times {
            var applicant = person
            applicant.device = factory.device(&rng)
            var merchant: Int?
            if viaMerchants {
                var pick = merchants.pick(&rng)
                for _ in 0..<10 where used.contains(pick) { pick = merchants.pick(&rng) }
                used.insert(pick)
                merchant = pick
            }
            var application = self.application(applicant, at: time, profile: .fraud, channel: viaMerchants ? nil : onlineChannel(&rng),
                                               merchant: merchant, &rng)
            if rng.chance(0.5) { application.ip = homeIP }
            add(application, at: time, .velocity, group: group)
        }
    }

    /// Patterns B and C: several identities behind one device or one bank card.
    mutating func manyIdentities(_ times: [Int64], group: String, sharing: BlacklistValueType, _ rng: inout SplitMix64) {
        let identities = min(times.count, sharing == .deviceID ? rng.int(3...8) : rng.int(3...6))
        var people = (0..<identities).map { _ in
            makePerson(row: anyRow(&rng), first: times[0], last: times[times.count - 1], profile: .fraud, &rng)
        }
        let sharedDevice = factory.device(&rng)
        let sharedCard = factory.bankCard(&rng)
        for index in people.indices {
            if sharing == .deviceID { people[index].device = sharedDevice } else { people[index].bankCard = sharedCard }
        }
        var who = Array(0..<identities) + (identities..<times.count).map { _ in rng.below(identities) }
        rng.shuffle(&who)
        let fixedIP = rng.chance(0.5) ? nat.pick(&rng) : factory.ip(in: IdentityFactory.broadbandRanges, &rng)
        let ipShare = sharing == .deviceID ? 0.6 : 0.4
        for (time, person) in zip(times, who) {
            var application = self.application(people[person], at: time, profile: .fraud, &rng)
            if rng.chance(ipShare) { application.ip = fixedIP }
            add(application, at: time, .velocity, group: group)
        }
    }

    // MARK: Blacklist

    static let reasons: [BlacklistValueType: [String]] = [
        .idNumber: ["confirmed_fraud", "court_dishonest_debtor", "default_written_off", "identity_misuse_report"],
        .phone: ["confirmed_fraud", "fraud_ring_member", "default_written_off"],
        .deviceID: ["fraud_ring_device", "device_farm", "confirmed_fraud"],
        .bankCard: ["mule_account", "chargeback_abuse", "confirmed_fraud"],
        .ip: ["fraud_proxy", "attack_source"],
        .contactPhone: ["fraud_organiser", "illegal_lender_contact"],
    ]

    func reason(_ type: BlacklistValueType, _ rng: inout SplitMix64) -> String { rng.element(Self.reasons[type] ?? ["confirmed_fraud"]) }

    /// People who look average but have a blacklisted id (40%), phone (25%), device (20%),
    /// card (10%) or contact phone (5%), listed beyond the period.
    mutating func generateBlacklisted(count: Int, _ rng: inout SplitMix64) {
        for _ in 0..<count {
            let time = cleanTime.moment(&rng)
            let person = makePerson(row: anyRow(&rng), first: time, last: time, profile: .clean, &rng)
            let application = self.application(person, at: time, profile: .clean, &rng)
            let u = rng.unit()
            let (type, value): (BlacklistValueType, String) =
                u < 0.40 ? (.idNumber, application.idNumber)
                : u < 0.65 ? (.phone, application.phone)
                : u < 0.85 ? (.deviceID, application.deviceID)
                : u < 0.95 ? (.bankCard, application.bankCard)
                : (.contactPhone, application.contactPhone)
            blacklist.append(BlacklistEntry(type: type, value: value, reason: reason(type, &rng),
                                            validUntil: configuration.end.adding(days: rng.int(30...720))))
            add(application, at: time, .blacklist)
        }
    }
}
