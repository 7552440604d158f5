import LendingModel

/// What the fraud stage keys velocity, distinct counts and blacklists by.
public enum FraudDimension: String, Sendable, CaseIterable, Codable {
    case idNumber = "id_number"
    case phone
    case deviceID = "device_id"
    case ip
    case bankCard = "bank_card"
    case contactPhone = "contact_phone"

    /// The upper-case name used in reason codes (`DEVICE_ID`).
    public var code: String { rawValue.uppercased() }

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case .idNumber: 0
        case .phone: 1
        case .deviceID: 2
        case .ip: 3
        case .bankCard: 4
        case .contactPhone: 5
        }
    }
}

/// The numeric features the fraud model reads, computed per application from the application
/// and the fraud state before it. Names are the columns of `lending apply --fraud-features` and
/// the characteristics a fraud model may use.
public struct FraudFeatures: Sendable, Equatable {
    public enum Name: Int, Sendable, CaseIterable {
        case night
        case virtualPhone
        case amountAtCap
        case amountToCap
        case faceScore
        case employerMissing
        case kycNotMatch
        case age
        case idApps24h
        case idApps30d
        case phoneApps24h
        case deviceApps24h
        case deviceIDs30d
        case ipApps1h
        case ipApps24h
        case cardIDs30d
        case contactApps7d
        case contactIDs30d
        case contactIsApplicant
        case ringPeople
        case merchantCapShare
        case merchantTopAmountShare
        case merchantSharedDeviceShare
        case merchantSameAmount

        /// The column name (`virtual_phone`).
        public var column: String { FraudFeatures.Name.columns[rawValue] }

        static let columns = ["night", "virtual_phone", "amount_at_cap", "amount_to_cap", "face_score", "employer_missing", "kyc_not_match", "age", "id_apps_24h", "id_apps_30d", "phone_apps_24h", "device_apps_24h", "device_ids_30d", "ip_apps_1h", "ip_apps_24h", "card_ids_30d", "contact_apps_7d", "contact_ids_30d", "contact_is_applicant", "ring_people", "merchant_cap_share", "merchant_top_amount_share", "merchant_shared_device_share", "merchant_same_amount"]

        public init?(column: String) {
            guard let index = FraudFeatures.Name.columns.firstIndex(of: column) else { return nil }
            self.init(rawValue: index)
        }
    }

    /// Values in `Name.allCases` order; NaN means missing (no face score, no age, no merchant).
    public var values: [Double]

    public init() { values = Array(repeating: 0, count: Name.allCases.count) }

    public subscript(name: Name) -> Double {
        get { values[name.rawValue] }
        set { values[name.rawValue] = newValue }
    }

    public static var names: [String] { Name.columns }
}

