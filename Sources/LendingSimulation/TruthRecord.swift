/// What an application really is.
public enum SyntheticLabel: String, Sendable, CaseIterable, Codable {
    /// An ordinary applicant.
    case clean
    /// A member of a fraud ring sharing devices, IPs, an address and contact phones.
    case ring
    /// One of a burst of applications through one merchant within one hour.
    case surge
    /// A fake purchase booked by a colluding merchant.
    case collusion
    /// One of many applications by one abuser within hours.
    case velocity
    /// An applicant with a blacklisted id, phone, device, card or contact phone.
    case blacklist
    /// A clean applicant whose ID number a spreadsheet mangled: not fraud, but not valid either.
    case mangledID = "mangled_id"

    /// Whether the label is fraud (the `is_fraud` column).
    public var isFraud: Bool {
        switch self {
        case .clean, .mangledID: false
        case .ring, .surge, .collusion, .velocity, .blacklist: true
        }
    }

    /// The fraud kinds, in the order of ``FraudMix``'s weights.
    public static let fraudKinds: [SyntheticLabel] = [.ring, .surge, .collusion, .velocity, .blacklist]
}

/// One row of TRUTH.csv: `application_id,label,is_fraud,group,credit_bad`.
public struct TruthRecord: Sendable, Hashable {
    public var applicationID: String
    public var label: SyntheticLabel
    /// The ring (`R0001`), merchant (`M0042`) or abuser (`V0001`); empty for the other labels.
    public var group: String
    /// Whether the German Credit row was `bad` (for simulating repayment later).
    public var creditBad: Bool
}
