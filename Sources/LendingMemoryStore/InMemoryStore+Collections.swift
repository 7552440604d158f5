import LendingStorePorts

/// Post-loan's port, in the same state and transactions as servicing.
extension InMemoryStore: CollectionsStore {
    /// Runs `body` in one write transaction (one at a time); a throw rolls everything back.
    public func withCollectionsTransaction<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T {
        try write({ MemoryServicingTransaction($0, writable: true) }) { try body($0) }
    }

    /// Runs `body` on the state as last committed; writes in it are refused.
    public func readCollections<T>(_ body: (any CollectionsTransaction) throws -> T) throws -> T {
        try body(MemoryServicingTransaction(snapshot(), writable: false))
    }
}
