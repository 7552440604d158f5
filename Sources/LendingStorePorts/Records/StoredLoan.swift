import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// A loan as stored: what was signed (or drawn), and its servicing state once paid out.
public struct StoredLoan: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable, CaseIterable {
        /// Signed (or drawn) and waiting to be paid out; no state yet.
        case signed
        case active
        case paidOff = "paid_off"
        case writtenOff = "written_off"

        /// The stored status of a serviced loan.
        public init(_ status: LoanStatus) {
            switch status {
            case .active: self = .active
            case .paidOff: self = .paidOff
            case .writtenOff: self = .writtenOff
            }
        }
    }

    public var loanID: String
    /// The application whose applicant is paid (a draw's line's application).
    public var applicationID: String
    /// The credit line of a draw.
    public var lineID: String?
    /// The product name (the key in the products file).
    public var product: String
    public var principal: Money
    public var termMonths: Int
    public var apr: AnnualRate
    /// The day the agreement was signed, or the day of the draw: it cannot be paid out before.
    public var signedOn: CalendarDay
    public var status: Status
    /// The servicing state, from the payout on.
    public var state: LoanState?

    public init(loanID: String, applicationID: String, lineID: String? = nil, product: String, principal: Money, termMonths: Int,
                apr: AnnualRate, signedOn: CalendarDay, status: Status = .signed, state: LoanState? = nil) {
        self.loanID = loanID
        self.applicationID = applicationID
        self.lineID = lineID
        self.product = product
        self.principal = principal
        self.termMonths = termMonths
        self.apr = apr
        self.signedOn = signedOn
        self.status = status
        self.state = state
    }
}
