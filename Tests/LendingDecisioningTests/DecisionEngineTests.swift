import LendingDecisioning
import LendingModel
import Testing

let rules = DecisionRules(
    products: [
        "installment": ProductRules(minimumAmount: Money(yuan: "500")!, maximumAmount: Money(yuan: "50000")!, terms: [3, 6, 12]),
        "revolving": ProductRules(minimumAmount: Money(yuan: "1000")!, maximumAmount: Money(yuan: "50000")!, terms: [12]),
    ],
    credit: CreditRules(declineBelow: 450, reviewBelow: 500, adverseReasons: 2),
    pricing: PricingRules(segments: [
        "A": [PriceBand(minimumScore: 600, limit: Money(yuan: "50000")!, apr: AnnualRate(decimal: "0.108")!),
              PriceBand(minimumScore: 0, limit: Money(yuan: "20000")!, apr: AnnualRate(decimal: "0.1825")!)],
        "B": [PriceBand(minimumScore: 0, limit: Money(yuan: "8000")!, apr: AnnualRate(decimal: "0.30")!)],
    ], defaultSegment: "B"))

func input(score: Double? = 620, requested: String = "30000", cap: String? = "40000", segment: String? = "A",
           product: String = "installment", term: Int = 12) -> DecisionInput {
    DecisionInput(product: product, requestedAmount: Money(yuan: requested)!, termMonths: term, preCreditLimit: cap.map { Money(yuan: $0)! },
                  segment: segment, score: score, adverseCharacteristics: ["duration_in_month", "credit amount", "age_in_years"])
}

@Suite struct DecisionEngineTests {
    @Test func approvesWithTheSmallestOfMatrixCapAndRequest() {
        let decision = DecisionEngine.decide(input(), rules: rules)
        #expect(decision.outcome == .approve)
        #expect(decision.approvedLimit == Money(yuan: "30000"))
        #expect(decision.apr == AnnualRate(decimal: "0.108"))
        #expect(decision.reasons.isEmpty)
        #expect(DecisionEngine.decide(input(requested: "45000"), rules: rules).approvedLimit == Money(yuan: "40000"))
        #expect(DecisionEngine.decide(input(score: 580, requested: "45000"), rules: rules).approvedLimit == Money(yuan: "20000"))
    }

    @Test func theAPRNeverExceedsTheLegalCap() {
        let decision = DecisionEngine.decide(input(requested: "5000", segment: "B"), rules: rules)
        #expect(decision.apr == AnnualRate(decimal: "0.24"))
        #expect(decision.approvedLimit == Money(yuan: "5000"))
    }

    @Test func theWorstStageWinsAndReasonsKeepStageOrder() {
        var mixed = input(score: 470)
        mixed.identity = StageVerdict(outcome: .review, reasons: ["ID_NAME_ID_NO_RECORD"])
        mixed.fraud = StageVerdict(outcome: .pass, reasons: [])
        mixed.whitelist = StageVerdict(outcome: .pass, reasons: [])
        let review = DecisionEngine.decide(mixed, rules: rules)
        #expect(review.outcome == .review)
        #expect(review.approvedLimit == .zero)
        #expect(review.proposedLimit == Money(yuan: "20000"))  // score 470: the lower band of A
        #expect(review.reasons.map(\.code) == ["ID_NAME_ID_NO_RECORD", "CR_SCORE_GREY_ZONE", "CR_LOW_DURATION_IN_MONTH", "CR_LOW_CREDIT_AMOUNT"])
        mixed.fraud = StageVerdict(outcome: .decline, reasons: ["FR_RING_LINKED"])
        mixed.whitelist = StageVerdict(outcome: .decline, reasons: ["WL_NOT_INVITED"])
        let decline = DecisionEngine.decide(mixed, rules: rules)
        #expect(decline.outcome == .decline)
        #expect(decline.proposedLimit == .zero)
        #expect(decline.reasons.first?.code == "WL_NOT_INVITED")
        #expect(decline.reasons[2].code == "FR_RING_LINKED")
    }

    @Test func policyRulesDeclineWhatTheProductDoesNotOffer() {
        #expect(DecisionEngine.decide(input(requested: "100"), rules: rules).reasons.map(\.code) == ["PL_AMOUNT_BELOW_MINIMUM"])
        #expect(DecisionEngine.decide(input(term: 9), rules: rules).reasons.map(\.code) == ["PL_TERM_NOT_OFFERED"])
        #expect(DecisionEngine.decide(input(product: "mortgage"), rules: rules).reasons.map(\.code) == ["PL_PRODUCT_NOT_OFFERED"])
        #expect(DecisionEngine.decide(input(cap: "400"), rules: rules).reasons.map(\.code) == ["PL_LIMIT_BELOW_MINIMUM"])
        var again = input()
        again.recentlyApproved = true
        #expect(DecisionEngine.decide(again, rules: rules).reasons.map(\.code) == ["PL_RECENTLY_APPROVED"])
        #expect(DecisionEngine.decide(input(score: nil), rules: rules).reasons.map(\.code) == ["CR_NOT_SCORED"])
    }

    /// Whatever the matrix, request and score, an approved or proposed limit never exceeds the
    /// pre-credit limit, the request or the product maximum, and is a multiple of 100 yuan.
    @Test func theLimitNeverExceedsThePreCreditLimit() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let cap = Money(fen: Int64(rng.next() % 6_000_000))
            let requested = Money(fen: 50_000 + Int64(rng.next() % 7_000_000))
            let score = Double(rng.next() % 400) + 400
            let decision = DecisionEngine.decide(
                DecisionInput(product: "installment", requestedAmount: requested, termMonths: 12, preCreditLimit: cap,
                              segment: ["A", "B", "Z"][Int(rng.next() % 3)], score: score), rules: rules)
            for limit in [decision.approvedLimit, decision.proposedLimit] {
                #expect(limit <= cap && limit <= requested && limit <= Money(yuan: "50000")!)
                #expect(limit.fen % 10_000 == 0)
            }
            if decision.outcome == .approve { #expect(decision.approvedLimit >= Money(yuan: "500")!) }
        }
    }

    @Test func reasonNamesAreUpperSnakeCase() {
        #expect(DecisionEngine.reasonName("status_of_existing_checking_account") == "STATUS_OF_EXISTING_CHECKING_ACCOUNT")
        #expect(DecisionEngine.reasonName("credit amount (DM)") == "CREDIT_AMOUNT_DM")
        #expect(DecisionEngine.reasonName("年龄") == "CHARACTERISTIC")
    }
}
