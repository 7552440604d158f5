import LendingCollections
import LendingModel
import LendingServicing

/// A loan's ladder state as stored, with what post-loan keeps beside it.
public struct StoredLadder: Sendable, Hashable {
    public var state: LadderState
    /// The highest days past due seen while the loan was in collections (a score feature).
    public var maxDaysPastDue: Int

    public init(state: LadderState, maxDaysPastDue: Int) {
        self.state = state
        self.maxDaysPastDue = maxDaysPastDue
    }
}
