import LendingCollections
import LendingModel
import LendingServicing

/// An early-warning assessment that changed something or moved a line's level, as logged.
public struct StoredWarning: Sendable, Hashable {
    public var day: CalendarDay
    public var lineID: String
    public var level: WarningLevel
    /// `none`, `reduce_limit` or `freeze`, as applied (an action with no effect is `none`).
    public var action: LineActionKind
    public var newLimit: Money?
    /// `EW_` codes with their measured values: `EW_PAYMENT_RATIO_DROP=0.5;EW_PARTIAL_PAYMENTS=3`.
    public var reasons: String

    public init(day: CalendarDay, lineID: String, level: WarningLevel, action: LineActionKind, newLimit: Money?, reasons: String) {
        self.day = day
        self.lineID = lineID
        self.level = level
        self.action = action
        self.newLimit = newLimit
        self.reasons = reasons
    }
}
