import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit

/// A stored application as the fraud state replays it, with its latest outcome.
public struct HistoricApplication: Sendable, Equatable {
    public var application: StoredApplication
    public var approved: Bool

    public init(application: StoredApplication, approved: Bool) {
        self.application = application
        self.approved = approved
    }
}
