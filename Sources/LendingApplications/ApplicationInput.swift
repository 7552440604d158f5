import LendingIdentity
import LendingModel
import LendingScoring

/// One application as received (APPLICATIONS.csv, or the JSON of `POST /v1/applications`).
/// Holds personal data in clear: it lives only while the application is decided.
public struct ApplicationInput: Sendable {
    public var applicationID: String
    public var appliedAt: Instant
    public var product: String
    public var channel: String
    public var merchantID: String
    public var name: String
    public var idNumber: String
    public var phone: String
    public var bankCard: String
    public var deviceID: String
    public var ip: String
    public var address: String
    public var employer: String
    public var contactPhone: String
    public var requestedAmount: Money
    public var termMonths: Int
    public var kycNameID: ProviderResult
    public var kycPhone: ProviderResult
    public var kycCard: ProviderResult
    /// `nil` when there is no liveness result.
    public var liveness: Bool?
    /// `nil` when there is no face score.
    public var faceScore: Double?
    /// The credit model's characteristics as text, in the model's order (empty is missing).
    public var characteristics: [String]
    /// Every field as received, one `name=value` per line, in UTF-8 (hashed with the data key
    /// into the stored inputs hash).
    public var canonicalBytes: [UInt8]

    /// The contract's columns, in order (INTERFACE.md), with whether each is required.
    public static let columns: [(name: String, required: Bool)] = [
        ("application_id", true), ("applied_at", true), ("product", true), ("channel", true), ("merchant_id", false),
        ("name", false), ("id_number", true), ("phone", true), ("bank_card", true), ("device_id", false), ("ip", false),
        ("address", false), ("employer", false), ("contact_phone", false), ("requested_amount", true), ("term_months", true),
        ("kyc_name_id", true), ("kyc_phone", true), ("kyc_card", true), ("liveness", true), ("face_score", true),
    ]
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
