import LendingStorePorts

/// Servicing's port: loans, lines, payouts, the journal, repayments and draws.
extension InMemoryStore: ServicingStore {
    /// Runs `body` in one write transaction (one at a time); a throw rolls everything back.
    /// The transaction also conforms to ``IdempotencyRecording``.
    public func withServicingTransaction<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        try write({ MemoryServicingTransaction($0, writable: true) }) { try body($0) }
    }

    /// Runs `body` on the state as last committed; writes in it are refused.
    public func readServicing<T>(_ body: (any ServicingTransaction) throws -> T) throws -> T {
        try body(MemoryServicingTransaction(snapshot(), writable: false))
    }
}
