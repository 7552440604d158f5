import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStorePorts

/// The application path's port. Reads see the state as last committed.
extension InMemoryStore: DecisionStore {
    public func history(since: Instant) throws -> [HistoricApplication] { snapshot().decisions.history(since: since) }

    public func blacklist() throws -> [BlacklistEntry] { snapshot().decisions.blacklistEntries }

    public func blacklistRevision() throws -> Int64 { snapshot().decisions.blacklistRevision }

    public func chainHead() throws -> DecisionRecord? { snapshot().decisions.chainHead }

    public func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] {
        snapshot().decisions.decisions(after: sequence, limit: limit)
    }

    /// Runs `body` in one write transaction (one at a time); a throw rolls everything back.
    /// The transaction also conforms to ``IdempotencyRecording``.
    public func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T {
        try write(MemoryDecisionTransaction.init) { try body($0) }
    }

    public func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws {
        for record in snapshot().decisions.decisions { try body(record) }
    }

    public func applicationsWithoutDecision() throws -> [String] { snapshot().decisions.applicationsWithoutDecision }

    public func openReviews() throws -> [ReviewItem] {
        snapshot().decisions.reviews.values.filter { $0.status == .open }.sorted { left, right in
            left.openedAt != right.openedAt ? left.openedAt < right.openedAt : precedesInBinaryOrder(left.applicationID, right.applicationID)
        }
    }

    public func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? {
        let tables = snapshot().decisions
        guard let application = tables.application(applicationID), let decision = tables.latestDecision(applicationID) else { return nil }
        return (application, decision)
    }

    public func whitelistCount() throws -> Int { snapshot().decisions.whitelist.count }

    /// Test hook: the stored decisions, in sequence order, to tamper with as someone with access
    /// to the storage would (verification must then find it).
    public func withDecisions(_ body: (inout [DecisionRecord]) -> Void) {
        // Tampering cannot throw: the closure never fails.
        try? mutate { state in
            body(&state.decisions.decisions)
            state.decisions.reindex()
        }
    }
}
