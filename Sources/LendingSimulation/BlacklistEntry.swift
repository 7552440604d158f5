import LendingModel

/// The kind of value a blacklist entry matches (BLACKLIST.csv `type`).
public enum BlacklistValueType: String, Sendable, CaseIterable, Codable {
    case idNumber = "id_number"
    case phone
    case deviceID = "device_id"
    case bankCard = "bank_card"
    case ip
    case contactPhone = "contact_phone"
}

/// One row of BLACKLIST.csv: `type,value,reason,valid_until`.
public struct BlacklistEntry: Sendable, Hashable {
    public var type: BlacklistValueType
    public var value: String
    /// A short code for why the value is listed (`confirmed_fraud`, `court_dishonest_debtor`, ...).
    public var reason: String
    /// The last day the entry applies; an entry whose day is before an application's date must not match it.
    public var validUntil: CalendarDay
}
