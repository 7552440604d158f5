import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// A signed agreement: the terms, the schedule shown, and the text (sealed; its SHA-256 in clear).
public struct AgreementRecord: Sendable, Equatable {
    public var applicationID: String
    public var product: String
    public var kind: ProductTerms.Kind
    /// The principal of an installment loan, the limit of a line.
    public var amount: Money
    public var termMonths: Int
    public var apr: AnnualRate
    /// The product terms as JSON (sorted keys).
    public var termsJSON: String
    /// The schedule shown in the agreement as JSON (an installment loan's; `[]` for a line).
    public var scheduleJSON: String
    /// SHA-256 of the agreement text's UTF-8 bytes.
    public var textHash: [UInt8]
    /// The text, sealed with the personal-data key (it names the borrower).
    public var sealedText: [UInt8]
    public var signer: String
    public var signedAt: Instant

    public init(applicationID: String, product: String, kind: ProductTerms.Kind, amount: Money, termMonths: Int, apr: AnnualRate,
                termsJSON: String, scheduleJSON: String, textHash: [UInt8], sealedText: [UInt8], signer: String, signedAt: Instant) {
        self.applicationID = applicationID
        self.product = product
        self.kind = kind
        self.amount = amount
        self.termMonths = termMonths
        self.apr = apr
        self.termsJSON = termsJSON
        self.scheduleJSON = scheduleJSON
        self.textHash = textHash
        self.sealedText = sealedText
        self.signer = signer
        self.signedAt = signedAt
    }
}
