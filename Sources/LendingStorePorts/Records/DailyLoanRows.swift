import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// Active loans read for end of day, in the form the store keeps them (``LoanStateCoding``),
/// in storage order. Arrays, reused between batches.
public struct DailyLoanRows: Sendable, Equatable {
    /// Where each loan is in the store (the next batch continues after the last one; end of day
    /// hands them back in ``DailyLoanUpdates``).
    public var positions: [StorePosition] = []
    public var products: [String] = []
    public var daily: [LoanDailyFields] = []
    public var records: [[UInt8]] = []

    public init() {}

    public var count: Int { positions.count }

    public mutating func removeAll() {
        positions.removeAll(keepingCapacity: true)
        products.removeAll(keepingCapacity: true)
        daily.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }
}
