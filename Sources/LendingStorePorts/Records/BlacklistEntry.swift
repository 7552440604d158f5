import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit

/// A blacklist entry: a keyed hash of a normalised value of a type.
public struct BlacklistEntry: Sendable, Equatable {
    public var type: FraudDimension
    public var valueKey: String
    public var reason: String
    /// Valid through this day; `nil` for no end.
    public var validUntil: CalendarDay?

    public init(type: FraudDimension, valueKey: String, reason: String, validUntil: CalendarDay?) {
        self.type = type
        self.valueKey = valueKey
        self.reason = reason
        self.validUntil = validUntil
    }
}
