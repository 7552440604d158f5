import LendingIdentity
import LendingModel

/// A person as the generator knows them: what they apply with.
struct Person: Sendable {
    var name: String
    /// Always the valid number.
    var idNumber: String
    var phone: String
    var phoneOnFile: String
    var bankCard: String
    var device: String
    var address: String
    var employer: String
    var contactPhone: String
    var creditRow: Int
}

/// An application before it has its id: its local time (seconds from the period's first
/// midnight), the row, and its truth.
struct Draft: Sendable {
    var time: Int64
    var application: SyntheticApplication
    var label: SyntheticLabel
    var group: String
}

/// The shared state of one run: the configuration, the value factory, the merchants and NAT
/// addresses, and what has been generated so far.
struct World {
    let configuration: GeneratorConfiguration
    let credit = GermanCredit.table
    var factory = IdentityFactory()
    let employers: EmployerPool
    let merchants: Merchants
    let nat: NATPool
    let cleanTime: TimeProfile
    let fraudTime: TimeProfile
    var drafts: [Draft] = []
    /// Everyone who applies, once each, in the order they were made.
    var population: [PopulationRecord] = []
    var blacklist: [BlacklistEntry] = []
    /// Clean people (for the expired blacklist entries that must not match).
    var cleanPeople: [Person] = []

    var periodSeconds: Int64 { Int64(configuration.days) * 86_400 }

    init(configuration: GeneratorConfiguration, cleanCount: Int) {
        self.configuration = configuration
        let seed = configuration.seed
        var rng = SplitMix64.stream(seed: seed, .employers)
        employers = EmployerPool(count: max(100, configuration.count / 12), &rng)
        var factory = IdentityFactory()
        rng = SplitMix64.stream(seed: seed, .merchants)
        merchants = Merchants(expectedPurchases: cleanCount * 35 / 100 * 30 / configuration.days, factory: &factory, &rng)
        rng = SplitMix64.stream(seed: seed, .ipPool)
        nat = NATPool(size: max(50, configuration.count / 3), factory: &factory, &rng)
        self.factory = factory
        cleanTime = TimeProfile(night: 0.04, start: configuration.start, days: configuration.days)
        fraudTime = TimeProfile(night: 0.30, start: configuration.start, days: configuration.days)
    }

    /// The local day of a moment of the period.
    func day(_ time: Int64) -> CalendarDay { configuration.start.adding(days: Int(time / 86_400)) }

    // MARK: People

    /// A new person whose German Credit row fixes age and sex, registered in `region` (random
    /// when nil), of that age on every day they apply (`first`...`last`).
    mutating func makePerson(row: Int, first: Int64, last: Int64, profile: SignalProfile, region: Int? = nil,
                             digitCheck: Bool = false, _ rng: inout SplitMix64) -> Person {
        let male = credit.male[row]
        let birthRegion = region ?? Regions.birthTable.pick(&rng)
        let id = factory.idNumber(region: birthRegion, male: male, age: credit.age[row], first: day(first), last: day(last),
                                  digitCheck: digitCheck, &rng)
        let phone = factory.phone(virtual: rng.chance(profile.virtualPhone), &rng)
        let onFile = rng.chance(profile.phoneOnFileDiffers) ? factory.phone(virtual: false, &rng) : phone
        // Most people live where they are registered; about a third moved to a big city.
        let home = rng.chance(0.65) ? birthRegion : Regions.destinations[Regions.destinationTable.pick(&rng)]
        let person = Person(
            name: ChineseNames.name(male: male, &rng), idNumber: id, phone: phone, phoneOnFile: onFile,
            bankCard: factory.bankCard(&rng), device: factory.device(&rng), address: factory.address(region: home, &rng),
            employer: profile.employerIsBlank(job: credit.job[row], &rng) ? "" : employers.pick(&rng),
            contactPhone: factory.phone(virtual: rng.chance(0.03), &rng), creditRow: row)
        population.append(PopulationRecord(idNumber: id, name: person.name, phone: onFile, creditRow: row))
        return person
    }

    /// A German Credit row, uniformly (with replacement).
    func anyRow(_ rng: inout SplitMix64) -> Int { rng.below(credit.characteristics.count) }

    // MARK: Applications

    /// The clean channel mix: app 45%, h5 15%, merchant 35%, partner 5%. Merchant purchases are
    /// installment loans; elsewhere revolving makes up the product mix to 30% overall.
    func drawChannel(_ rng: inout SplitMix64) -> (Channel, Product) {
        let u = rng.unit()
        let channel: Channel = u < 0.45 ? .app : u < 0.60 ? .h5 : u < 0.95 ? .merchant : .partner
        if channel == .merchant { return (.merchant, .installment) }
        return (channel, rng.chance(0.30 / 0.65) ? .revolving : .installment)
    }

    /// An application of `person` at `time` with the soft signals of `profile`; channel,
    /// merchant and amount as given (drawn when nil).
    mutating func application(_ person: Person, at time: Int64, profile: SignalProfile, channel: (Channel, Product)? = nil,
                              merchant: Int? = nil, _ rng: inout SplitMix64) -> SyntheticApplication {
        var (channel, product) = channel ?? drawChannel(&rng)
        if merchant != nil { (channel, product) = (.merchant, .installment) }
        var merchantIndex: Int?
        if channel == .merchant { merchantIndex = merchant ?? merchants.pick(&rng) }
        let amount: Money
        switch (channel, product) {
        case (.merchant, _): amount = AmountModel.purchase(capRate: profile.maximumPurchase, &rng)
        case (_, .revolving): amount = AmountModel.revolving(capRate: profile.maximumAmount, &rng)
        case (_, .installment): amount = AmountModel.installment(capRate: profile.maximumAmount, &rng)
        }
        // In a shop, one customer in ten uses the shop's Wi-Fi.
        let ip = merchantIndex.flatMap { index in rng.chance(0.10) ? rng.element(merchants.shopIPs[index]) : nil } ?? nat.pick(&rng)
        let instant = Instant(secondsSinceEpoch: Int64(configuration.start.daysSinceEpoch) * 86_400 + time - configuration.utcOffsetSeconds)
        return SyntheticApplication(
            applicationID: "", appliedAt: instant, product: product, channel: channel,
            merchantID: merchantIndex.map { merchants.ids[$0] } ?? "", name: person.name, idNumber: person.idNumber,
            phone: person.phone, bankCard: person.bankCard, deviceID: person.device, ip: ip, address: person.address,
            employer: person.employer, contactPhone: person.contactPhone, requestedAmount: amount,
            termMonths: AmountModel.term(product, &rng),
            kycNameID: SignalProfile.kycResults[profile.nameID.pick(&rng)],
            kycPhone: SignalProfile.kycResults[profile.phoneKYC.pick(&rng)],
            kycCard: SignalProfile.kycResults[profile.cardKYC.pick(&rng)],
            livenessPassed: !rng.chance(profile.livenessFail), faceScoreTenths: profile.faceTenths(&rng), creditRow: person.creditRow)
    }

    mutating func add(_ application: SyntheticApplication, at time: Int64, _ label: SyntheticLabel, group: String = "") {
        drafts.append(Draft(time: time, application: application, label: label, group: group))
    }

    /// A window of `length` seconds inside the period, its start drawn from `profile`.
    func window(length: Int64, profile: TimeProfile, _ rng: inout SplitMix64) -> (start: Int64, length: Int64) {
        let length = min(length, periodSeconds - 1)
        let latest = periodSeconds - length
        var start = profile.moment(&rng)
        for _ in 0..<8 where start >= latest { start = profile.moment(&rng) }
        return (min(start, latest - 1), length)
    }

    /// `count` sorted moments uniformly inside a window.
    func moments(_ count: Int, in window: (start: Int64, length: Int64), _ rng: inout SplitMix64) -> [Int64] {
        (0..<count).map { _ in window.start + Int64(rng.below(Int(window.length))) }.sorted()
    }

    /// Sizes between `range` adding up to `total`: the last group takes what is left, so that
    /// no group is smaller than the range allows (unless `total` itself is).
    static func groupSizes(total: Int, range: ClosedRange<Int>, draw: (inout SplitMix64) -> Int, _ rng: inout SplitMix64) -> [Int] {
        var sizes: [Int] = []
        var left = total
        while left > 0 {
            if left <= range.upperBound { sizes.append(left); break }
            let size = min(max(draw(&rng), range.lowerBound), range.upperBound, left - range.lowerBound)
            sizes.append(size)
            left -= size
        }
        return sizes
    }

    static func label(_ prefix: String, _ number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
