import LendingCSV
import LendingIdentity

/// Applicants for tests: valid identifiers and whole application fields, distinct per index,
/// with the credit characteristics of a German Credit row.
public enum TestApplicants {
    /// German Credit's rows as dictionaries (the credit characteristics of test applicants).
    public static let germanCreditRows: [[String: String]] = {
        let table = try! CSVTable.read(path: FixtureFiles.fixture("german-credit.csv"))
        return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
    }()

    /// A valid resident ID number (check character by the standard).
    public static func residentID(birth: String = "19900101", sequence: Int = 1, region: String = "110105") -> String {
        let padded = String(repeating: "0", count: 3 - String(sequence % 1000).count) + String(sequence % 1000)
        let body = region + birth + padded
        return body + String(ResidentID.checkCharacter(for: Array(body.utf8)))
    }

    /// A Luhn-valid 19-digit card number, distinct per `index`.
    public static func bankCard(_ index: Int) -> String {
        let digits = "622202" + String(repeating: "0", count: 12 - String(index).count) + String(index)
        for check in 0...9 where BankCard.luhnValid(Array((digits + String(check)).utf8)) { return digits + String(check) }
        preconditionFailure("a check digit always exists")
    }

    /// An application's fields (the CSV columns and the JSON body's names); everything unique to
    /// `index` unless overridden.
    /// - Parameters:
    ///   - idPrefix: the application id is `idPrefix` followed by `index`.
    ///   - row: the German Credit row whose characteristics the applicant has.
    public static func fields(_ index: Int, idPrefix: String, at time: String = "2026-10-01T10:00:00+08:00", row: Int = 0,
                              overrides: [String: String] = [:]) -> [String: String] {
        var fields: [String: String] = [
            "application_id": "\(idPrefix)\(index)", "applied_at": time, "product": "installment", "channel": "app",
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
}
