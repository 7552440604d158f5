import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing

/// An approved application with its latest decision, waiting for its agreement.
public struct ApprovedApplication: Sendable {
    public var application: StoredApplication
    public var decision: DecisionRecord

    public init(application: StoredApplication, decision: DecisionRecord) {
        self.application = application
        self.decision = decision
    }
}
