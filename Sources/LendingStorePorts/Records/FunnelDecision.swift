import LendingCollections
import LendingModel
import LendingServicing

/// A decision as the approval funnel reads it (the latest decision of each application).
public struct FunnelDecision: Sendable, Hashable {
    public var outcome: DecisionOutcome
    public var reasonCodes: [String]

    public init(outcome: DecisionOutcome, reasonCodes: [String]) {
        self.outcome = outcome
        self.reasonCodes = reasonCodes
    }
}
