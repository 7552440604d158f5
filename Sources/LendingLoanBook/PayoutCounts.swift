import LendingCSV
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// Counts of what happened to payouts in a run.
public struct PayoutCounts: Sendable, Equatable {
    /// Payouts the rail executed (loans activated).
    public var paid = 0
    /// Payouts the rail refused (retried with a new attempt by the next `disburse`).
    public var failed = 0
    /// Payouts whose answer was lost (settled by `reconcile` or the next `disburse`).
    public var unknown = 0
    /// Payouts in flight the rail had never received (sent again, with the same key, by `disburse`).
    public var notAtRail = 0

    public init() {}

    mutating func count(_ transition: Disbursement.Transition) {
        switch transition.action {
        case .activateLoan: paid += 1
        case .recordFailure: failed += 1
        case .askLater: unknown += 1
        case .resend: notAtRail += 1
        }
    }
}
