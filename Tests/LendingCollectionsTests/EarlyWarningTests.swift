import LendingCollections
import LendingModel
import Testing

@Suite struct EarlyWarningTests {
    let warning = try! EarlyWarning(rules: .standard)

    func line(_ change: (inout BehaviourSignals) -> Void = { _ in }) -> BehaviourSignals {
        var signals = BehaviourSignals(lineId: "LINE1", dueLast3: yuan("3000.00"), paidLast3: yuan("3000.00"),
                                       duePrior3: yuan("3000.00"), paidPrior3: yuan("3000.00"),
                                       drawnNow: yuan("2000.00"), limitNow: yuan("10000.00"),
                                       drawn30DaysAgo: yuan("2000.00"), limit30DaysAgo: yuan("10000.00"))
        change(&signals)
        return signals
    }

    @Test func aQuietLineHasNoWarning() {
        let result = warning.assess(line())
        #expect(result.level == WarningLevel.none)
        #expect(result.action == .none)
        #expect(result.reasons.isEmpty)
    }

    @Test func aMissedFirstPaymentFreezesTheLine() {
        let result = warning.assess(line { $0.missedFirstPayment = true })
        #expect(result.level == .severe)
        #expect(result.action == .freeze)
        #expect(result.reasons.map(\.code.code) == ["EW_MISSED_FIRST_PAYMENT"])
    }

    @Test func aPaymentRatioDropOfExactlyTheThresholdIsWatched() {
        // 3000/3000 before, 2400/3000 now: a drop of exactly 0.2.
        let result = warning.assess(line { $0.paidLast3 = yuan("2400.00") })
        #expect(result.level == .watch)
        #expect(result.action == .none)
        #expect(result.reasons.map(\.code) == [.paymentRatioDrop])
        #expect(abs(result.reasons[0].value - 0.2) < 1e-12)
    }

    @Test func aLargerDropIsAWarningThatHalvesTheLimit() {
        // Drop 0.5; limit 10 000.00 − 5 000.00 = 5 000.00, already a multiple of 100.
        let result = warning.assess(line { $0.paidLast3 = yuan("1500.00") })
        #expect(result.level == .warning)
        #expect(result.action == .reduceLimit(newLimit: yuan("5000.00"), reduction: yuan("5000.00")))
    }

    @Test func theReducedLimitIsRoundedDownToTheStep() {
        // 7 777.77 × 0.5 = 3 888.885 → 3 888.88 (half to even); 7 777.77 − 3 888.88 = 3 888.89 → 3 800.00.
        let result = warning.assess(line { $0.paidLast3 = yuan("1500.00"); $0.limitNow = yuan("7777.77") })
        #expect(result.action == .reduceLimit(newLimit: yuan("3800.00"), reduction: yuan("3977.77")))
    }

    @Test func overpaymentDoesNotHideADrop() {
        // Prior ratio capped at 1 although 4000 was paid against 3000 due.
        let result = warning.assess(line { $0.paidPrior3 = yuan("4000.00"); $0.paidLast3 = yuan("2400.00") })
        #expect(result.reasons.first.map { abs($0.value - 0.2) < 1e-12 } == true)
    }

    @Test func twoWarningSignalsMakeItSevere() {
        let result = warning.assess(line { $0.partialPaymentsLast3 = 3; $0.newApplicationsLast30Days = 4 })
        #expect(result.level == .severe)
        #expect(result.action == .freeze)
        #expect(result.reasons.map(\.code.code) == ["EW_PARTIAL_PAYMENTS", "EW_NEW_APPLICATIONS", "EW_MULTIPLE_SIGNALS"])
        #expect(result.reasons.map(\.level) == [.warning, .warning, .severe])
    }

    @Test func aUtilisationJumpIsMeasuredInPointsOfShare() {
        // 20% → 55%: a jump of 0.35 (watch); 20% → 75% is 0.55 (warning).
        #expect(warning.assess(line { $0.drawnNow = yuan("5500.00") }).level == .watch)
        let result = warning.assess(line { $0.drawnNow = yuan("7500.00") })
        #expect(result.level == .warning)
        #expect(result.reasons.map(\.code) == [.utilisationJump])
    }

    @Test func nothingDueMeansNoRatioSignal() {
        let result = warning.assess(line { $0.dueLast3 = .zero; $0.paidLast3 = .zero })
        #expect(result.reasons.isEmpty)
    }

    @Test func invalidRulesAreRefused() {
        var rules = EarlyWarningRules.standard
        rules.partialPayments = [WarningTier(atLeast: 3, level: .warning), WarningTier(atLeast: 2, level: .severe)]
        let error = #expect(throws: CollectionsError.self) { try EarlyWarning(rules: rules) }
        #expect(error?.message == "earlyWarning.partialPayments: tiers must rise in both atLeast and level")
    }
}
