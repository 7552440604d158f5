import LendingIdentity
import LendingModel

/// The credit product applied for.
public enum Product: String, Sendable, CaseIterable, Codable {
    case installment
    case revolving
}

/// Where an application came from.
public enum Channel: String, Sendable, CaseIterable, Codable {
    /// The lender's own app.
    case app
    /// A web page (H5) opened in a browser or a mini-program.
    case h5
    /// A merchant's point of sale (installment purchases); carries a merchant id.
    case merchant
    /// A partner platform.
    case partner
}

/// One generated application: the columns of APPLICATIONS.csv, with the German Credit row whose
/// characteristics it carries.
public struct SyntheticApplication: Sendable, Hashable {
    /// `A7-0000001`: the prefix, then the 1-based position in time order (7 digits or more).
    public var applicationID: String
    public var appliedAt: Instant
    public var product: Product
    public var channel: Channel
    /// `M0001`...`M0300` for channel merchant; empty otherwise.
    public var merchantID: String
    public var name: String
    /// A valid GB 11643 number, or for a `mangled_id` row the text a spreadsheet made of it.
    public var idNumber: String
    public var phone: String
    public var bankCard: String
    public var deviceID: String
    public var ip: String
    public var address: String
    /// Empty when the applicant gave none.
    public var employer: String
    public var contactPhone: String
    /// Whole yuan or `x99.00` prices, at most 50000.00.
    public var requestedAmount: Money
    public var termMonths: Int
    public var kycNameID: ProviderResult
    public var kycPhone: ProviderResult
    public var kycCard: ProviderResult
    public var livenessPassed: Bool
    /// The face comparison score in tenths (0...1000): 912 is written `91.2`.
    public var faceScoreTenths: Int
    /// The 0-based German Credit row whose 20 characteristics follow the application columns.
    public var creditRow: Int
}
