import LendingModel
import LendingScoring

/// The keyed hashes of one application's identifiers (see the pipeline's personal-data key):
/// the fraud stage never sees a clear ID number, phone or card.
/// An empty value has no key (`nil`): it links nothing and counts for nothing.
public struct FraudKeys: Sendable, Equatable {
    public var person: UInt64
    public var phone: UInt64?
    public var bankCard: UInt64?
    public var device: UInt64?
    public var ip: UInt64?
    /// Keyed with the same kind as `phone`, so a contact phone meets the applicant phone it equals.
    public var contactPhone: UInt64?
    public var address: UInt64?

    public init(person: UInt64, phone: UInt64?, bankCard: UInt64?, device: UInt64?, ip: UInt64?, contactPhone: UInt64?, address: UInt64?) {
        self.person = person
        self.phone = phone
        self.bankCard = bankCard
        self.device = device
        self.ip = ip
        self.contactPhone = contactPhone
        self.address = address
    }

    public func key(_ dimension: FraudDimension) -> UInt64? {
        switch dimension {
        case .idNumber: Optional(person)
        case .phone: phone
        case .deviceID: device
        case .ip: ip
        case .bankCard: bankCard
        case .contactPhone: contactPhone
        }
    }
}

/// What the fraud stage needs to know of one application.
public struct FraudSubject: Sendable {
    public var at: Instant
    /// Hour of day in the lender's time zone (0...23).
    public var localHour: Int
    public var channel: String
    public var merchantID: String?
    public var amount: Money
    /// The product's maximum amount (applications asking exactly for it are a signal).
    public var amountCap: Money
    public var keys: FraudKeys
    public var virtualOperatorPhone: Bool
    public var employerMissing: Bool
    public var faceScore: Double?
    /// How many provider checks did not say `match` (0...3).
    public var providerNotMatched: Int
    public var age: Int?
    /// Blacklist types the application's values are on (the pipeline looks them up).
    public var blacklisted: [FraudDimension]

    public init(at: Instant, localHour: Int, channel: String, merchantID: String?, amount: Money, amountCap: Money, keys: FraudKeys,
                virtualOperatorPhone: Bool = false, employerMissing: Bool = false, faceScore: Double? = nil,
                providerNotMatched: Int = 0, age: Int? = nil, blacklisted: [FraudDimension] = []) {
        self.at = at
        self.localHour = localHour
        self.channel = channel
        self.merchantID = merchantID
        self.amount = amount
        self.amountCap = amountCap
        self.keys = keys
        self.virtualOperatorPhone = virtualOperatorPhone
        self.employerMissing = employerMissing
        self.faceScore = faceScore
        self.providerNotMatched = providerNotMatched
        self.age = age
        self.blacklisted = blacklisted
    }
}

/// The fraud stage's answer for one application.
public struct FraudAssessment: Sendable {
    public var verdict: StageVerdict
    public var features: FraudFeatures
    /// The fraud model's probability, when the policy has a model.
    public var score: Double?
    /// Whether the application's channel or merchant was surging (the tightened policy applied).
    public var tightened: Bool
    /// Surge state changes this application caused, to be logged and stored.
    public var surgeEvents: [SurgeEvent]
}

/// A logistic-regression fraud model: a scorecard whose characteristics are fraud features and
/// whose "bad" is fraud.
public struct FraudModel: Sendable {
    public let scorer: Scorer
    private let featureIndex: [Int]

    /// - Throws: ``ScoringError`` when a characteristic is not a numeric fraud feature.
    public init(_ scorecard: Scorecard) throws(ScoringError) {
        scorer = try Scorer(scorecard)
        var indices: [Int] = []
        for (position, name) in scorer.compiled.names.enumerated() {
            guard let feature = FraudFeatures.Name(column: name), scorer.compiled.kinds[position] == .numeric else {
                throw ScoringError(.missingCharacteristic,
                                   "the fraud model's characteristic \"\(name)\" is not a numeric fraud feature; train it on the columns of lending apply --fraud-features",
                                   characteristic: name)
            }
            indices.append(feature.rawValue)
        }
        featureIndex = indices
    }

    public var version: String { "\(scorer.model.name)@\(scorer.model.version)" }

    /// The probability of fraud. A missing value (NaN) takes the missing bin, or, when the model
    /// has none, counts as the riskiest answer (probability 1): a fraud model never waves through
    /// what it cannot see.
    public func probability(_ features: FraudFeatures) -> Double {
        let compiled = scorer.compiled
        var total = compiled.basePoints
        for (position, index) in featureIndex.enumerated() {
            let value = features.values[index]
            if value.isNaN {
                guard compiled.acceptsMissing(position) else { return 1 }
                total += compiled.points(position, slot: 0)
            } else {
                total += compiled.points(position, slot: compiled.numericSlot(position, value))
            }
        }
        return compiled.probability(score: total)
    }
}

/// The fraud stage: blacklists, velocity and distinct counts, rings, surges, merchant collusion
/// and the fraud model, over the state built from every application seen before.
///
/// A value type with mutating methods: the pipeline owns one engine and feeds it applications in
/// the order it decides them. ``assess(_:)`` records the application and rates it;
/// ``observe(_:)`` only records (rebuilding the state from stored applications).
public struct FraudEngine: Sendable {
    public let policy: FraudPolicy
    public let model: FraudModel?
    /// One log per dimension, in `FraudDimension.allCases` order.
    private var logs: [KeyedEventLog<UInt64>]
    private var rings = RingIndex()
    private var surges: SurgeDetector
    private var channelSurges: SurgeDetector
    private var merchants: MerchantMonitor
    private var applicantPhones = Set<UInt64>()
    private var namedContacts = Set<UInt64>()

    public init(policy: FraudPolicy = FraudPolicy(), model: FraudModel? = nil) {
        self.policy = policy
        self.model = model
        logs = FraudDimension.allCases.map { _ in KeyedEventLog() }
        surges = SurgeDetector(policy: policy.surge)
        channelSurges = SurgeDetector(policy: policy.channelSurge)
        merchants = MerchantMonitor(policy: policy.collusion)
    }

    /// Records an application and rates it against everything seen before and itself.
    public mutating func assess(_ subject: FraudSubject) -> FraudAssessment {
        let observation = observe(subject)
        var verdict = StageVerdict()
        for dimension in subject.blacklisted {
            verdict.flag(policy.blacklistAction, DecisionReason("FR_BLACKLIST_\(dimension.code)"))
        }
        for rule in policy.velocity {
            guard let counts = observation.counts[rule.dimension.index] else { continue }
            if counts.events(in: rule.window) > rule.maximum {
                verdict.flag(rule.action, DecisionReason("FR_VELOCITY_\(rule.dimension.code)_\(rule.window.label)"))
            }
        }
        for rule in policy.distinctIDs {
            guard let counts = observation.counts[rule.dimension.index] else { continue }
            if counts.people(in: rule.window) > rule.maximum {
                verdict.flag(rule.action, DecisionReason("FR_DISTINCT_IDS_\(rule.dimension.code)_\(rule.window.label)"))
            }
        }
        if observation.ringPeople >= policy.ring.minimumPeople { verdict.flag(policy.ring.action, "FR_RING_LINKED") }
        if observation.merchantSurging && policy.tightened.reviewAll { verdict.flag(.review, "FR_SURGE_MERCHANT") }
        if observation.channelSurging && policy.tightened.reviewAll { verdict.flag(.review, "FR_SURGE_CHANNEL") }
        if let signals = observation.merchant {
            let appLevel = subject.amount >= subject.amountCap || signals.sameAmount >= policy.collusion.repeatedAmountMinimum
                || observation.sharedDevice
            if merchants.isSuspect(signals) && appLevel { verdict.flag(.decline, "FR_MERCHANT_COLLUSION") }
            if merchants.approvalJumped(signals) { verdict.flag(.review, "FR_MERCHANT_APPROVAL_JUMP") }
        }
        let features = FraudEngine.features(subject, observation)
        var score: Double?
        if let model {
            let probability = model.probability(features)
            score = probability
            let tightened = observation.merchantSurging || observation.channelSurging
            let reviewAt = tightened ? min(policy.tightened.modelReviewAtOrAbove, policy.model.reviewAtOrAbove) : policy.model.reviewAtOrAbove
            if probability >= policy.model.declineAtOrAbove {
                verdict.flag(.decline, "FR_MODEL_SCORE_HIGH")
            } else if probability >= reviewAt {
                verdict.flag(.review, "FR_MODEL_SCORE_ELEVATED")
            }
        }
        return FraudAssessment(verdict: verdict, features: features, score: score,
                               tightened: observation.merchantSurging || observation.channelSurging,
                               surgeEvents: observation.surgeEvents)
    }

    /// Records the outcome of a decided application (merchant approval rates).
    public mutating func recordDecision(merchantID: String?, at time: Instant, approved: Bool) {
        guard let merchantID, !merchantID.isEmpty else { return }
        merchants.recordDecision(merchant: merchantID, at: time, approved: approved)
    }

    /// What recording one application found out.
    public struct Observation: Sendable {
        /// Per dimension (`FraudDimension.index`): the key's counts including this application,
        /// `nil` when the application has no value of that dimension.
        public var counts: [WindowCounts?] = Array(repeating: nil, count: FraudDimension.allCases.count)
        public var ringPeople = 1
        public var sharedDevice = false
        public var contactIsApplicant = false
        public var merchant: MerchantSignals?
        public var merchantSurging = false
        public var channelSurging = false
        public var surgeEvents: [SurgeEvent] = []
    }

    /// Records an application into every log, the ring index, the surge detectors and the
    /// merchant statistics, without rating it.
    @discardableResult
    public mutating func observe(_ subject: FraudSubject) -> Observation {
        var observation = Observation()
        let keys = subject.keys
        for dimension in FraudDimension.allCases {
            guard let key = keys.key(dimension) else { continue }
            observation.counts[dimension.index] = logs[dimension.index].record(key, person: keys.person, at: subject.at)
        }
        let attributes = [keys.phone, keys.bankCard, keys.device, keys.contactPhone, keys.address].compactMap { $0 }
        observation.ringPeople = rings.link(person: keys.person, attributes: attributes)
        // Someone else's applicant phone given as contact, or this phone given as someone's contact.
        observation.contactIsApplicant = keys.contactPhone.map { applicantPhones.contains($0) } == true
            || keys.phone.map { namedContacts.contains($0) } == true
        if let phone = keys.phone { applicantPhones.insert(phone) }
        if let contact = keys.contactPhone { namedContacts.insert(contact) }
        observation.sharedDevice = (observation.counts[FraudDimension.deviceID.index]?.people(in: .month) ?? 0) > 1
        let channel = channelSurges.record(subject.channel, label: subject.channel, at: subject.at)
        observation.channelSurging = channel.surging
        if let event = channel.event { observation.surgeEvents.append(event) }
        if let merchantID = subject.merchantID, !merchantID.isEmpty {
            let merchant = surges.record(merchantID, label: subject.channel + "/" + merchantID, at: subject.at)
            observation.merchantSurging = merchant.surging
            if let event = merchant.event { observation.surgeEvents.append(event) }
            observation.merchant = merchants.record(merchant: merchantID, at: subject.at, amount: subject.amount,
                                                    atCap: subject.amount >= subject.amountCap, sharedDevice: observation.sharedDevice)
        }
        return observation
    }

    private static func features(_ subject: FraudSubject, _ observation: Observation) -> FraudFeatures {
        var features = FraudFeatures()
        func counts(_ dimension: FraudDimension) -> WindowCounts { observation.counts[dimension.index] ?? WindowCounts() }
        features[.night] = subject.localHour < 6 ? 1 : 0
        features[.virtualPhone] = subject.virtualOperatorPhone ? 1 : 0
        features[.amountAtCap] = subject.amount >= subject.amountCap ? 1 : 0
        features[.amountToCap] = subject.amountCap.fen > 0 ? Double(subject.amount.fen) / Double(subject.amountCap.fen) : .nan
        features[.faceScore] = subject.faceScore ?? .nan
        features[.employerMissing] = subject.employerMissing ? 1 : 0
        features[.kycNotMatch] = Double(subject.providerNotMatched)
        features[.age] = subject.age.map(Double.init) ?? .nan
        features[.idApps24h] = Double(counts(.idNumber).events(in: .day))
        features[.idApps30d] = Double(counts(.idNumber).events(in: .month))
        features[.phoneApps24h] = Double(counts(.phone).events(in: .day))
        features[.deviceApps24h] = Double(counts(.deviceID).events(in: .day))
        features[.deviceIDs30d] = Double(counts(.deviceID).people(in: .month))
        features[.ipApps1h] = Double(counts(.ip).events(in: .hour))
        features[.ipApps24h] = Double(counts(.ip).events(in: .day))
        features[.cardIDs30d] = Double(counts(.bankCard).people(in: .month))
        features[.contactApps7d] = Double(counts(.contactPhone).events(in: .week))
        features[.contactIDs30d] = Double(counts(.contactPhone).people(in: .month))
        features[.contactIsApplicant] = observation.contactIsApplicant ? 1 : 0
        features[.ringPeople] = Double(observation.ringPeople)
        if let merchant = observation.merchant {
            features[.merchantCapShare] = merchant.capShare
            features[.merchantTopAmountShare] = merchant.topAmountShare
            features[.merchantSharedDeviceShare] = merchant.sharedDeviceShare
            features[.merchantSameAmount] = Double(merchant.sameAmount)
        }
        return features
    }
}
