import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// A revolving credit line as stored.
public struct StoredLine: Sendable, Equatable {
    public var line: CreditLine
    public var applicationID: String
    public var product: String
    public var signedOn: CalendarDay

    public init(line: CreditLine, applicationID: String, product: String, signedOn: CalendarDay) {
        self.line = line
        self.applicationID = applicationID
        self.product = product
        self.signedOn = signedOn
    }
}
