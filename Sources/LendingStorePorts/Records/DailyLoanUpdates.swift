import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// What end of day writes back for a batch of ``DailyLoanRows``.
public struct DailyLoanUpdates: Sendable {
    /// The positions of the loans written, as ``DailyLoanRows`` gave them.
    public var positions: [StorePosition] = []
    public var daily: [LoanDailyFields] = []
    /// The new record where it changed, `nil` where it did not.
    public var records: [[UInt8]?] = []
    /// The new status where it changed (paid off), `nil` where it did not.
    public var statuses: [StoredLoan.Status?] = []
    /// Principal repaid on a line's draws (overpayment applied on a due date), by line.
    public var lineRestores: [String: Money] = [:]

    public init() {}
}
