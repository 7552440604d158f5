import LendingModel

/// Durable idempotency keys: each completed key with its request's fingerprint and response, so
/// that a repeat after a restart is answered from the log, and the same key with another request
/// is still refused. The HTTP service keeps pending keys and their waiters in memory and reads
/// the log only for a key it does not hold. LendingStore implements it in the application
/// database (`SQLiteStore`).
///
/// A key is best written in the transaction of the record its request created (an application,
/// a repayment, a draw), through ``IdempotencyRecording``; ``record(_:)`` writes keys on their own.
public protocol IdempotencyLog: Sendable {
    /// The completed request recorded under `key`, or `nil`.
    /// - Throws: the store's errors.
    func completedRequest(key: String) async throws -> CompletedRequest?
    /// Records completed requests in a transaction of their own; a key already recorded keeps its first record.
    /// - Throws: the store's errors (nothing is recorded).
    func record(_ requests: [CompletedRequest]) async throws
    /// Forgets the keys of requests received before `instant` (a client may then reuse them).
    /// - Returns: the number of keys forgotten.
    /// - Throws: the store's errors.
    func forgetRequests(receivedBefore instant: Instant) async throws -> Int
}

/// A store's open write transaction that can also record completed idempotency keys, so that a
/// key commits (or rolls back) with the record its request created. The decision and servicing
/// transactions of every adapter here conform (SQLite's, the in-memory store's); one that does
/// not leaves the key to ``IdempotencyLog/record(_:)``.
public protocol IdempotencyRecording {
    /// Records completed requests in this transaction; a key already recorded keeps its first record.
    /// - Throws: the store's errors (the transaction then rolls back).
    func record(_ requests: [CompletedRequest]) throws
}
