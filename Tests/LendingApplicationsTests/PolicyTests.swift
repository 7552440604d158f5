import Foundation
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingScoring
import LendingTestSupport
import Testing
import LendingApplications

@Suite struct PolicyTests {
    @Test func theCheckedInDefaultPolicyIsTheStandardOne() throws {
        let file = try String(contentsOfFile: FixtureFiles.model("policy-default.json"), encoding: .utf8)
        #expect(file == LendingPolicy.standardJSON())
        #expect(try LendingPolicy.load(path: FixtureFiles.model("policy-default.json")) == .standard)
    }

    @Test func theCompiledInFraudModelIsTheCheckedInOne() throws {
        let builtin = try #require(try LendingPolicy.standard.loadFraudModel(relativeTo: "/nonexistent"))
        let file = try FraudModel(Scorecard.load(path: FixtureFiles.model("fraud-model.json")))
        #expect(builtin.scorer.model == file.scorer.model)
    }

    @Test func aPolicyFileStatesOnlyWhatItChanges() throws {
        let policy = try LendingPolicy.decode(Data("""
            {"version": "test-1", "invitationOnly": false,
             "decision": {"credit": {"declineBelow": 380, "reviewBelow": 400, "adverseReasons": 2}},
             "fraud": {"ring": {"minimumPeople": 5, "action": "review", "horizonDays": 60}, "velocity": [{"dimension": "device_id", "window": "1h", "maximum": 1, "action": "review"}]}}
            """.utf8), file: "p.json")
        #expect(policy.version == "test-1")
        #expect(!policy.invitationOnly)
        #expect(policy.decision.credit.declineBelow == 380)
        #expect(policy.decision.pricing == LendingPolicy.standard.decision.pricing)
        #expect(policy.fraud.ring.minimumPeople == 5 && policy.fraud.ring.action == .review)
        #expect(policy.fraud.velocity == [FraudPolicy.VelocityRule(.deviceID, .hour, maximum: 1, action: .review)])
        #expect(policy.fraud.surge == LendingPolicy.standard.fraud.surge)
        #expect(policy.versionTag.hasPrefix("default@test-1#"))
        #expect(policy.versionTag != LendingPolicy.standard.versionTag)
    }

    @Test(arguments: [
        (#"{"decision": {"credit": {"declineBelow": 500, "reviewBelow": 450, "adverseReasons": 4}}}"#, "\"decision.credit.reviewBelow\" must be at least \"declineBelow\""),
        (#"{"fraud": {"velocity": [{"dimension": "shoe_size", "window": "1h", "maximum": 1, "action": "review"}]}}"#, "\"fraud.velocity[0].dimension\": Cannot initialize FraudDimension"),
        (#"{"fraud": {"ring": {"minimumPeople": 3, "action": "maybe", "horizonDays": 90}}}"#, "is not an outcome"),
        (#"{"utcOffset": "8 hours"}"#, "\"utcOffset\" must look like +08:00"),
        (#"{"format": "lending.scorecard"}"#, "is this a policy file?"),
        (#"[1, 2]"#, "must be a JSON object"),
        (#"{"decision": "#, "not valid JSON"),
    ])
    func badPoliciesNameTheFieldAndTheFile(_ text: String, _ expected: String) {
        do {
            _ = try LendingPolicy.decode(Data(text.utf8), file: "my-policy.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.file == "my-policy.json")
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.hasPrefix("my-policy.json: "))
        }
    }
}
