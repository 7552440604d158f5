import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import Logging

/// The outcome of deciding one application.
public struct DecidedApplication: Sendable {
    public var record: DecisionRecord
    /// The application was already decided with the same inputs: this is its stored decision.
    public var replayed: Bool
    /// The fraud features computed for it (not for a replay).
    public var fraudFeatures: FraudFeatures?
}
