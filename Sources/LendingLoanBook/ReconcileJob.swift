import LendingCSV
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending reconcile` does: asks the rail about every payout in flight (`sent`, or
/// `unknown` after a lost answer) and records what it says; a paid payout activates its loan.
/// It never pays: a payout the rail never received stays `sent` for the next `disburse`.
public struct ReconcileJob {
    public var asOf: CalendarDay
    public var products: ProductCatalog
    public var batchSize: Int

    public init(asOf: CalendarDay, products: ProductCatalog, batchSize: Int = 500) {
        self.asOf = asOf
        self.products = products
        self.batchSize = max(1, batchSize)
    }

    /// Runs the job.
    /// - Returns: what the rail's records settled.
    public func run(store: any ServicingStore, rail: any PaymentRail) throws -> PayoutCounts {
        try PayoutBook.reconcile(store: store, rail: rail, products: products, day: asOf, batchSize: batchSize).counts
    }
}
