import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit

/// One application as stored: what the fraud state and the later lifecycle need. Personal data
/// appears only as keyed hashes and as one encrypted blob (``PersonalDataProtector``).
public struct StoredApplication: Sendable, Equatable {
    public var applicationID: String
    public var appliedAt: Instant
    public var product: String
    public var channel: String
    public var merchantID: String?
    public var requestedAmount: Money
    /// The product's maximum when decided (the fraud state's "amount at the cap").
    public var amountCap: Money
    public var termMonths: Int
    /// The keyed hash (hex) of the normalised ID number: the customer's identity across the lifecycle.
    public var personKey: String
    /// Short keyed hashes for the fraud state.
    public var keys: FraudKeys
    /// Name, ID number, phone, card, address, employer and contact phone, sealed.
    public var personalData: [UInt8]
    /// Keyed hash (hex) of the inputs as received; a replay with other inputs is refused.
    public var inputsHash: String
    public var decisionSequence: Int64

    public init(applicationID: String, appliedAt: Instant, product: String, channel: String, merchantID: String?, requestedAmount: Money,
                amountCap: Money, termMonths: Int, personKey: String, keys: FraudKeys, personalData: [UInt8], inputsHash: String,
                decisionSequence: Int64) {
        self.applicationID = applicationID
        self.appliedAt = appliedAt
        self.product = product
        self.channel = channel
        self.merchantID = merchantID
        self.requestedAmount = requestedAmount
        self.amountCap = amountCap
        self.termMonths = termMonths
        self.personKey = personKey
        self.keys = keys
        self.personalData = personalData
        self.inputsHash = inputsHash
        self.decisionSequence = decisionSequence
    }
}
