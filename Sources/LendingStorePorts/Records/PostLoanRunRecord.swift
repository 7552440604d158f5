import LendingCollections
import LendingModel
import LendingServicing

/// What one day's post-loan run did (stored, so a day runs once).
public struct PostLoanRunRecord: Sendable, Hashable {
    public var day: CalendarDay
    public var loansInCollections: Int
    public var actionsPlanned: Int
    public var writeOffs: Int
    public var writtenOffPrincipal: Money
    public var lineActions: Int
    public var snapshots: Int

    public init(day: CalendarDay, loansInCollections: Int = 0, actionsPlanned: Int = 0, writeOffs: Int = 0, writtenOffPrincipal: Money = .zero,
                lineActions: Int = 0, snapshots: Int = 0) {
        self.day = day
        self.loansInCollections = loansInCollections
        self.actionsPlanned = actionsPlanned
        self.writeOffs = writeOffs
        self.writtenOffPrincipal = writtenOffPrincipal
        self.lineActions = lineActions
        self.snapshots = snapshots
    }
}
