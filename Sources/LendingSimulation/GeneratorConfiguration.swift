import LendingModel

/// What to generate: how many applications, from which seed, over which period, with how much fraud.
public struct GeneratorConfiguration: Sendable, Hashable {
    /// The number of applications (clean, mangled and fraud together).
    public var count: Int
    /// The seed of every random choice: the same configuration gives the same data.
    public var seed: UInt64
    /// The share of applications that are fraud, 0...0.5.
    public var fraudShare: Double
    /// The first local day of the period.
    public var start: CalendarDay
    /// The length of the period in days, 1...365.
    public var days: Int
    /// The prefix of application ids (`A7-` gives `A7-0000001`).
    public var idPrefix: String
    /// The UTC offset of `applied_at` and of the daily profile (China: +08:00).
    public var utcOffsetSeconds: Int64
    /// How the fraud applications are split between the fraud kinds.
    public var fraudMix: FraudMix
    /// The share of all applications whose ID number a spreadsheet mangled (taken from clean).
    public var mangledShare: Double

    /// The largest `count` accepted: everything is held in memory (about 1.4 KB per application).
    public static let maximumCount = 5_000_000

    /// 2026-10-01, the default first day.
    public static let defaultStart = CalendarDay(year: 2026, month: 10, day: 1)!

    /// - Parameters:
    ///   - count: applications to generate.
    ///   - seed: the seed.
    ///   - fraudShare: share of fraud applications (default 0.05).
    ///   - start: first local day (default 2026-10-01).
    ///   - days: period length (default 30).
    ///   - idPrefix: application id prefix (default `A<seed>-`).
    public init(count: Int, seed: UInt64, fraudShare: Double = 0.05, start: CalendarDay = GeneratorConfiguration.defaultStart,
                days: Int = 30, idPrefix: String? = nil, utcOffsetSeconds: Int64 = 8 * 3600,
                fraudMix: FraudMix = FraudMix(), mangledShare: Double = 0.003) {
        self.count = count
        self.seed = seed
        self.fraudShare = fraudShare
        self.start = start
        self.days = days
        self.idPrefix = idPrefix ?? "A\(seed)-"
        self.utcOffsetSeconds = utcOffsetSeconds
        self.fraudMix = fraudMix
        self.mangledShare = mangledShare
    }

    /// Checks every option.
    /// - Throws: ``SimulationError`` naming the option and its allowed range.
    public func validate() throws(SimulationError) {
        guard count >= 1 && count <= Self.maximumCount else {
            throw SimulationError(code: "generate.count", message: "--count must be between 1 and \(Self.maximumCount) (everything is held in memory); split larger runs by seed and --id-prefix")
        }
        guard fraudShare.isFinite && fraudShare >= 0 && fraudShare <= 0.5 else {
            throw SimulationError(code: "generate.fraud_share", message: "--fraud-share must be between 0 and 0.5 (a share, not a percentage: 0.05 means 5%)")
        }
        guard mangledShare.isFinite && mangledShare >= 0 && mangledShare + fraudShare <= 1 else {
            throw SimulationError(code: "generate.mangled_share", message: "the mangled-id share must be between 0 and 1 minus the fraud share")
        }
        guard (1...365).contains(days) else {
            throw SimulationError(code: "generate.days", message: "--days must be between 1 and 365")
        }
        guard !idPrefix.isEmpty, idPrefix.utf8.count <= 32,
              idPrefix.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 && $0 != "," && $0 != "\"" }) else {
            throw SimulationError(code: "generate.id_prefix", message: "--id-prefix must be 1 to 32 printable ASCII characters without spaces, commas or quotes")
        }
        guard abs(utcOffsetSeconds) <= 14 * 3600, utcOffsetSeconds % 60 == 0 else {
            throw SimulationError(code: "generate.utc_offset", message: "the UTC offset must be whole minutes within ±14 hours")
        }
        try fraudMix.validate()
    }

    /// The local day after the period (the period is `start ..< end`).
    public var end: CalendarDay { start.adding(days: days) }
}

/// The relative weights of the fraud kinds. They are normalised, so they need not add up to 1:
/// the default weights 35:25:15:10:10 give 36.8% ring, 26.3% surge, 15.8% collusion and
/// 10.5% each velocity and blacklist.
public struct FraudMix: Sendable, Hashable {
    public var ring: Double
    public var surge: Double
    public var collusion: Double
    public var velocity: Double
    public var blacklist: Double

    public init(ring: Double = 35, surge: Double = 25, collusion: Double = 15, velocity: Double = 10, blacklist: Double = 10) {
        self.ring = ring
        self.surge = surge
        self.collusion = collusion
        self.velocity = velocity
        self.blacklist = blacklist
    }

    /// Weights in the order of ``SyntheticLabel/fraudKinds``.
    var weights: [Double] { [ring, surge, collusion, velocity, blacklist] }

    func validate() throws(SimulationError) {
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.reduce(0, +) > 0 else {
            throw SimulationError(code: "generate.fraud_mix", message: "fraud kind weights must be non-negative and not all zero")
        }
    }
}
