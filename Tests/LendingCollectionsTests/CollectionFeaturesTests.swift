import LendingCollections
import LendingModel
import Testing

@Suite struct CollectionFeaturesTests {
    @Test func featuresAreNamedAndComputedExactly() {
        let behaviour = RepaymentBehaviour(daysPastDue: 12, maxDaysPastDue: 20, monthsOnBook: 7, brokenPromises: 2, keptPromises: 1,
                                           dueLast3: yuan("3000.00"), paidLast3: yuan("1500.00"), partialPaymentsLast3: 2,
                                           contactAttemptsLast30Days: 10, conversationsLast30Days: 4, overdueAmount: yuan("750.00"),
                                           outstandingBalance: yuan("3000.00"), drawn: yuan("4000.00"), limit: yuan("5000.00"))
        let features = CollectionFeatures(behaviour)
        #expect(CollectionFeatures.names.count == features.values.count)
        #expect(features.values == [12, 20, 7, 2, 1, 0.5, 2, 6, 0.4, 0.25, 0.8])
        #expect(features["answer_rate_30d"] == 0.4)
        #expect(features.row["days_past_due"] == "12")
        #expect(features.row["payment_ratio_last3"] == "0.5")
    }

    @Test func emptyDenominatorsGiveNeutralValues() {
        let features = CollectionFeatures(RepaymentBehaviour(daysPastDue: 0, maxDaysPastDue: 0, monthsOnBook: 0))
        #expect(features["payment_ratio_last3"] == 1)
        #expect(features["answer_rate_30d"] == 0)
        #expect(features["overdue_share"] == 0)
        #expect(features["utilisation"] == 0)
    }
}
