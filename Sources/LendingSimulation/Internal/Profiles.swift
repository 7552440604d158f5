import LendingIdentity
import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The rates of the "soft" signals an application carries. Fraud draws them from distributions
/// that overlap the clean ones, so no single column gives it away.
struct SignalProfile: Sendable {
    var virtualPhone: Double
    /// Share of applications asking for exactly the product cap (online and revolving requests).
    var maximumAmount: Double
    /// Share of merchant purchases at exactly the cap.
    var maximumPurchase: Double
    /// `nil`: by the German Credit `job` (about 8% overall).
    var employerBlank: Double?
    var faceMean: Double
    var faceDeviation: Double
    /// Weights of match, mismatch, no_record, error.
    var nameID: WeightedTable
    var phoneKYC: WeightedTable
    var cardKYC: WeightedTable
    var livenessFail: Double
    /// Share whose phone on file (population) differs from the one they apply with.
    var phoneOnFileDiffers: Double

    static let clean = SignalProfile(
        virtualPhone: 0.03, maximumAmount: 0.03, maximumPurchase: 0.001, employerBlank: nil, faceMean: 91, faceDeviation: 4,
        nameID: WeightedTable([97.5, 0.5, 1, 1]), phoneKYC: WeightedTable([97, 1, 1.5, 0.5]), cardKYC: WeightedTable([98, 0.5, 1, 0.5]),
        livenessFail: 0.005, phoneOnFileDiffers: 0.03)

    /// Rings, collusion and velocity: stolen identities bought as a kit (ID, SIM, card).
    static let fraud = SignalProfile(
        virtualPhone: 0.35, maximumAmount: 0.45, maximumPurchase: 0.45, employerBlank: 0.35, faceMean: 84, faceDeviation: 7,
        nameID: WeightedTable([91.5, 0.5, 5, 3]), phoneKYC: WeightedTable([93, 1.5, 4, 1.5]), cardKYC: WeightedTable([94.5, 1, 3, 1.5]),
        livenessFail: 0.02, phoneOnFileDiffers: 0.4)

    /// The surge: applicants who look genuine in every soft signal.
    static let surge: SignalProfile = {
        var profile = SignalProfile.clean
        profile.phoneOnFileDiffers = 0.06
        return profile
    }()

    static let kycResults: [ProviderResult] = [.match, .mismatch, .noRecord, .error]

    func employerIsBlank(job: ParsedGermanCredit.Job, _ rng: inout SplitMix64) -> Bool {
        if let employerBlank { return rng.chance(employerBlank) }
        // Self-employed and unemployed people often have no employer to name; 8% overall.
        switch job {
        case .unemployed: return rng.chance(0.70)
        case .selfEmployedOrManagement: return rng.chance(0.15)
        case .unskilled, .skilled: return rng.chance(0.051)
        }
    }

    func faceTenths(_ rng: inout SplitMix64) -> Int {
        let score = min(100, max(0, rng.normal(mean: faceMean, deviation: faceDeviation)))
        return Int((score * 10).rounded())
    }
}

/// When applications arrive: a weight per local hour and per day of the period.
struct TimeProfile: Sendable {
    let hours: WeightedTable
    let days: WeightedTable
    let dayCount: Int

    /// Clean traffic by local hour: busy 10–12 and 19–23, quiet 01–06; 00:00–06:00 holds 4%.
    static let cleanHours: [Double] = [
        1.6, 0.8, 0.5, 0.35, 0.3, 0.45, 0.8, 2.2, 3.6, 5.0, 7.6, 7.8,
        5.6, 4.8, 5.0, 5.0, 4.8, 4.6, 5.0, 7.4, 8.2, 8.4, 6.6, 3.6,
    ]

    /// The clean hourly shape with `night` of the weight in 00:00–06:00.
    static func hours(night: Double) -> [Double] {
        let nightSum = cleanHours[0..<6].reduce(0, +)
        let daySum = cleanHours[6...].reduce(0, +)
        return cleanHours.enumerated().map { $0.offset < 6 ? $0.element * night / nightSum : $0.element * (1 - night) / daySum }
    }

    /// - Parameters:
    ///   - night: share of 00:00–06:00.
    ///   - start: first day (weekends weigh 12% more).
    init(night: Double, start: CalendarDay, days: Int) {
        hours = WeightedTable(Self.hours(night: night))
        self.days = WeightedTable((0..<days).map { offset in
            let weekday = (start.daysSinceEpoch + offset + 4) % 7 // 0 is Sunday (1970-01-01 was a Thursday)
            return weekday == 0 || weekday == 6 ? 1.12 : 1.0
        })
        dayCount = days
    }

    /// A moment on a day of the period (random day when `day` is nil), in seconds from the
    /// period's first local midnight.
    func moment(day: Int? = nil, _ rng: inout SplitMix64) -> Int64 {
        let chosen = day ?? days.pick(&rng)
        return Int64(chosen) * 86_400 + Int64(hours.pick(&rng)) * 3600 + Int64(rng.below(3600))
    }
}

/// Requested amounts and terms.
enum AmountModel {
    static let cap = Money(fen: 5_000_000)

    /// Popular retail price points (yuan) and their weights.
    static let pricePoints: [(Int64, Double)] = [
        (999, 6), (1299, 12), (1999, 10), (2499, 9), (2999, 10), (3999, 12), (4999, 10), (5999, 10), (6999, 7), (8999, 8), (12999, 6),
    ]
    static let priceTable = WeightedTable(pricePoints.map(\.1))

    /// A merchant purchase: a popular price point (60%) or a random `x99.00` price 599–29999.
    static func purchase(capRate: Double, _ rng: inout SplitMix64) -> Money {
        if rng.chance(capRate) { return cap }
        if rng.chance(0.6) { return Money(fen: pricePoints[priceTable.pick(&rng)].0 * 100) }
        // Log-uniform hundreds between 6 and 300.
        let hundreds = Int64((6 * exp(rng.unit() * log(50.0))).rounded(.down))
        return Money(fen: (min(300, max(6, hundreds)) * 100 - 1) * 100)
    }

    /// An installment loan asked for online: log-normal around 8000, multiples of 500, 1000–49500.
    static func installment(capRate: Double, _ rng: inout SplitMix64) -> Money {
        if rng.chance(capRate) { return cap }
        return drawn(median: 8000, sigma: 0.6, step: 500, range: 1000...49_500, &rng)
    }

    /// A revolving line's requested limit: log-normal around 12000, multiples of 1000, 5000–49000.
    static func revolving(capRate: Double, _ rng: inout SplitMix64) -> Money {
        if rng.chance(capRate) { return cap }
        return drawn(median: 12_000, sigma: 0.55, step: 1000, range: 5000...49_000, &rng)
    }

    private static func drawn(median: Double, sigma: Double, step: Int64, range: ClosedRange<Int64>, _ rng: inout SplitMix64) -> Money {
        var yuan = range.lowerBound
        for _ in 0..<16 {
            let value = Int64((rng.logNormal(median: median, sigma: sigma) / Double(step)).rounded()) * step
            yuan = min(range.upperBound, max(range.lowerBound, value))
            if range.contains(value) { break }
        }
        return Money(fen: yuan * 100)
    }

    static let installmentTerms: [Int] = [3, 6, 9, 12, 18, 24]
    static let termTable = WeightedTable([8, 15, 10, 40, 10, 17])

    static func term(_ product: Product, _ rng: inout SplitMix64) -> Int {
        product == .revolving ? 12 : installmentTerms[termTable.pick(&rng)]
    }
}

/// The 300 merchants: ids, a Zipf-like share of purchases, and their shops' IPs.
struct Merchants: Sendable {
    static let count = 300
    let ids: [String]
    let table: WeightedTable
    /// The IPs of each merchant's shops (one per about 200 purchases a month, at least one).
    let shopIPs: [[String]]

    init(expectedPurchases: Int, factory: inout IdentityFactory, _ rng: inout SplitMix64) {
        ids = (1...Self.count).map { "M" + String(repeating: "0", count: 4 - String($0).count) + String($0) }
        table = WeightedTable.zipf(count: Self.count, exponent: 1.1)
        var shops: [[String]] = []
        for index in 0..<Self.count {
            let stores = min(30, max(1, Int((Double(expectedPurchases) * table.share(index) / 200).rounded())))
            shops.append((0..<stores).map { _ in factory.ip(in: IdentityFactory.broadbandRanges, &rng) })
        }
        shopIPs = shops
    }

    func pick(_ rng: inout SplitMix64) -> Int { table.pick(&rng) }

    /// The index of `M0042` (41).
    static func index(of id: String) -> Int? { Int(id.dropFirst()).map { $0 - 1 } }
}

/// The carrier-grade NAT addresses clean traffic comes from: about one per three applications,
/// with a skewed reuse (a few addresses see dozens of applications a month, most one to three).
struct NATPool: Sendable {
    let addresses: [String]
    let table: WeightedTable

    init(size: Int, factory: inout IdentityFactory, _ rng: inout SplitMix64) {
        addresses = (0..<size).map { _ in factory.ip(in: IdentityFactory.mobileRanges, &rng) }
        let spread = max(0.5, Double(size) / 3300)
        table = WeightedTable((0..<size).map { 1 + 30 / pow(1 + Double($0) / spread, 1.2) })
    }

    func pick(_ rng: inout SplitMix64) -> String { addresses[table.pick(&rng)] }
}
