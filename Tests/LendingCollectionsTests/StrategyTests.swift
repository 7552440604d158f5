import Foundation
import LendingCollections
import LendingModel
import LendingTestSupport
import Testing

@Suite struct StrategyTests {
    @Test func modelFileIsTheStandardStrategyByteForByte() throws {
        let path = FixtureFiles.model("collections-strategy.json")
        if ProcessInfo.processInfo.environment["REGENERATE_COLLECTIONS_STRATEGY"] == "1" {
            try CollectionStrategy.standard.encoded().write(to: URL(fileURLWithPath: path))
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let strategy = try CollectionStrategy.decode(data, file: path)
        #expect(strategy == .standard)
        #expect(data == CollectionStrategy.standard.encoded())
    }

    @Test func standardStrategyIsValid() throws {
        try CollectionStrategy.standard.validate()
    }

    @Test func aMissingFieldNamesItsPath() throws {
        var object = try #require(JSONSerialization.jsonObject(with: CollectionStrategy.standard.encoded()) as? [String: Any])
        var hours = object["contactHours"] as! [String: Any]
        hours.removeValue(forKey: "end")
        object["contactHours"] = hours
        let data = try JSONSerialization.data(withJSONObject: object)
        let error = #expect(throws: CollectionsError.self) { try CollectionStrategy.decode(data, file: "s.json") }
        #expect(error?.code == "collections.invalid_json")
        #expect(error?.description.hasPrefix("s.json: not a valid collections strategy: \"contactHours.end\" is required") == true)
    }

    @Test func aBadTimeOfDayIsRejected() {
        let json = String(decoding: CollectionStrategy.standard.encoded(), as: UTF8.self)
            .replacingOccurrences(of: "\"21:00\"", with: "\"25:00\"")
        let error = #expect(throws: CollectionsError.self) { try CollectionStrategy.decode(Data(json.utf8)) }
        #expect(error?.message.contains("\"25:00\" is not a time of day HH:MM") == true)
    }

    private func invalid(_ change: (inout CollectionStrategy) -> Void) -> String? {
        var strategy = CollectionStrategy.standard
        change(&strategy)
        do {
            try strategy.validate()
            return nil
        } catch {
            #expect(error.code == "collections.invalid_strategy")
            return error.message
        }
    }

    @Test func bucketsMustBeContiguous() {
        let message = invalid { $0.buckets[2].fromDay = 5 }
        #expect(message == "bucket \"4-15\" must start the day after \"1-3\" ends; buckets are contiguous and in order")
    }

    @Test func theLastBucketMustBeOpen() {
        #expect(invalid { $0.buckets[6].toDay = 365 }?.hasPrefix("the last bucket (\"90+\") must have no toDay") == true)
    }

    @Test func everyBucketAndBandNeedsALadder() {
        let message = invalid { $0.ladders.removeAll { $0.bucket == "16-30" && $0.band == nil } }
        #expect(message == "bucket \"16-30\" has no ladder for band \"medium\"; add one, or one without a band")
    }

    @Test func aLadderMustStartOnItsBucketsFirstDay() {
        let message = invalid { $0.ladders[2].stages[0].fromDay = 2 }
        #expect(message == "the ladder of \"1-3\"/\"any\" must start on the bucket's first day (1), not 2")
    }

    @Test func milestonesCannotBeLadderStages() {
        let message = invalid { $0.ladders[2].stages[1].action = .writeOff }
        #expect(message?.contains("is \"write_off\", a milestone") == true)
    }

    @Test func fallbacksMustNotGoRoundInACircle() {
        let message = invalid { strategy in
            let index = strategy.actions.firstIndex { $0.action == .sms }!
            strategy.actions[index].fallback = .agentCall
        }
        // sms → agent_call → voice_bot → sms.
        #expect(message == "the fallbacks of \"sms\" go round in a circle through \"sms\"; end the chain")
    }

    @Test func contactHoursMustOpenBeforeTheyClose() {
        let message = invalid { $0.contactHours = ContactHours(start: LocalTimeOfDay(hour: 21), end: LocalTimeOfDay(hour: 8)) }
        #expect(message == "contactHours.start (21:00) must be before contactHours.end (08:00)")
    }

    @Test func nonCallsCannotHaveSeveralAttempts() {
        let message = invalid { $0.ladders[2].stages[0].attemptsPerDay = 2 }
        #expect(message == "the ladder of \"1-3\"/\"any\": stage 1 is not a call and cannot have 2 attempts a day")
    }

    @Test func milestoneDaysMustComeBeforeWriteOff() {
        let message = invalid { $0.milestones.insuranceClaimDay = 200 }
        #expect(message == "milestones.insuranceClaimDay (200) must be between 1 and writeOffDay (180)")
    }

    @Test func bandsMustRise() {
        let message = invalid { $0.riskBands[1].belowScore = 500 }
        #expect(message == "risk band bounds must increase: \"medium\" (500.0) after \"high\" (560.0)")
    }

    @Test func earlyWarningShareMustBeAFraction() {
        #expect(invalid { $0.earlyWarning.limitReductionShare = 1 }
            == "earlyWarning.limitReductionShare must be between 0 and 1 (0.5 halves the limit)")
    }

    @Test func enginesLookUpBucketsAndBands() {
        #expect(standardEngine.bucket(forDay: -4) == nil)
        #expect(standardEngine.bucket(forDay: -3)?.name == "pre-due")
        #expect(standardEngine.bucket(forDay: 0)?.name == "pre-due")
        #expect(standardEngine.bucket(forDay: 3)?.name == "1-3")
        #expect(standardEngine.bucket(forDay: 90)?.name == "61-90")
        #expect(standardEngine.bucket(forDay: 91)?.name == "90+")
        #expect(standardEngine.bucket(forDay: 10_000)?.name == "90+")
        #expect(standardEngine.band(forScore: 559.99).name == "high")
        #expect(standardEngine.band(forScore: 560).name == "medium")
        #expect(standardEngine.band(forScore: 620).name == "low")
    }
}
