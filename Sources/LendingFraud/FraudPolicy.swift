import LendingModel

/// The fraud stage's rules: thresholds for velocity, distinct people, rings, surges, merchant
/// collusion and the fraud model, and what a surge tightens. Part of the policy file
/// (docs/policy.md); every field has a default, and a policy file states only what it changes
/// (the pipeline merges it over the defaults).
public struct FraudPolicy: Sendable, Equatable, Codable {
    /// More than `maximum` applications with the same value of `dimension` in `window`, this one
    /// included, gives `FR_VELOCITY_<DIMENSION>_<WINDOW>` with `action`.
    public struct VelocityRule: Sendable, Equatable, Codable {
        public var dimension: FraudDimension
        public var window: VelocityWindow
        public var maximum: Int
        public var action: StageOutcome

        public init(_ dimension: FraudDimension, _ window: VelocityWindow, maximum: Int, action: StageOutcome = .decline) {
            self.dimension = dimension
            self.window = window
            self.maximum = maximum
            self.action = action
        }
    }

    /// More than `maximum` distinct ID numbers behind one value of `dimension` in `window` gives
    /// `FR_DISTINCT_IDS_<DIMENSION>_<WINDOW>` with `action`.
    public typealias DistinctRule = VelocityRule

    /// Rings: people linked by shared devices, phones, contact phones, cards or addresses.
    public struct RingPolicy: Sendable, Equatable, Codable {
        /// A component with at least this many distinct people is a ring (`FR_RING_LINKED`).
        public var minimumPeople: Int
        public var action: StageOutcome
        /// How far back the stored applications are linked when the pipeline starts.
        public var horizonDays: Int

        public init(minimumPeople: Int = 3, action: StageOutcome = .decline, horizonDays: Int = 90) {
            self.minimumPeople = minimumPeople
            self.action = action
            self.horizonDays = horizonDays
        }
    }

    /// Thresholds on the fraud model's probability.
    public struct ModelThresholds: Sendable, Equatable, Codable {
        /// At or above: `FR_MODEL_SCORE_ELEVATED`, review.
        public var reviewAtOrAbove: Double
        /// At or above: `FR_MODEL_SCORE_HIGH`, decline.
        public var declineAtOrAbove: Double

        public init(reviewAtOrAbove: Double = 0.3, declineAtOrAbove: Double = 0.6) {
            self.reviewAtOrAbove = reviewAtOrAbove
            self.declineAtOrAbove = declineAtOrAbove
        }
    }

    /// What changes for a channel or merchant while it surges.
    public struct Tightened: Sendable, Equatable, Codable {
        /// Every application through the surging channel or merchant goes to review at least
        /// (`FR_SURGE_MERCHANT`, `FR_SURGE_CHANNEL`).
        public var reviewAll: Bool
        /// The model's review threshold while surging.
        public var modelReviewAtOrAbove: Double

        public init(reviewAll: Bool = true, modelReviewAtOrAbove: Double = 0.1) {
            self.reviewAll = reviewAll
            self.modelReviewAtOrAbove = modelReviewAtOrAbove
        }
    }

    /// Blacklist hits decline (`FR_BLACKLIST_<TYPE>`) unless set to review.
    public var blacklistAction: StageOutcome
    public var velocity: [VelocityRule]
    public var distinctIDs: [DistinctRule]
    public var ring: RingPolicy
    public var surge: SurgePolicy
    /// Surge detection per channel as a whole, besides per merchant.
    public var channelSurge: SurgePolicy
    public var collusion: CollusionPolicy
    public var model: ModelThresholds
    public var tightened: Tightened

    public init(blacklistAction: StageOutcome = .decline, velocity: [VelocityRule] = FraudPolicy.defaultVelocity,
                distinctIDs: [DistinctRule] = FraudPolicy.defaultDistinctIDs, ring: RingPolicy = RingPolicy(),
                surge: SurgePolicy = SurgePolicy(), channelSurge: SurgePolicy = SurgePolicy(minimumCount: 100, multiplier: 5),
                collusion: CollusionPolicy = CollusionPolicy(), model: ModelThresholds = ModelThresholds(),
                tightened: Tightened = Tightened()) {
        self.blacklistAction = blacklistAction
        self.velocity = velocity
        self.distinctIDs = distinctIDs
        self.ring = ring
        self.surge = surge
        self.channelSurge = channelSurge
        self.collusion = collusion
        self.model = model
        self.tightened = tightened
    }

    public static let defaultVelocity: [VelocityRule] = [
        VelocityRule(.idNumber, .day, maximum: 2), VelocityRule(.idNumber, .week, maximum: 4), VelocityRule(.idNumber, .month, maximum: 6),
        VelocityRule(.phone, .day, maximum: 2), VelocityRule(.phone, .week, maximum: 4), VelocityRule(.phone, .month, maximum: 6),
        VelocityRule(.deviceID, .day, maximum: 3), VelocityRule(.deviceID, .month, maximum: 8),
        VelocityRule(.bankCard, .day, maximum: 3), VelocityRule(.bankCard, .month, maximum: 6),
        VelocityRule(.ip, .hour, maximum: 10), VelocityRule(.ip, .day, maximum: 40),
        VelocityRule(.contactPhone, .day, maximum: 3), VelocityRule(.contactPhone, .month, maximum: 6),
    ]

    public static let defaultDistinctIDs: [DistinctRule] = [
        VelocityRule(.deviceID, .month, maximum: 2), VelocityRule(.contactPhone, .month, maximum: 2),
        VelocityRule(.bankCard, .month, maximum: 1), VelocityRule(.phone, .month, maximum: 1),
    ]
}
