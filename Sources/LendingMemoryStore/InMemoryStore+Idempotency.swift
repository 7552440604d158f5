import LendingModel
import LendingStorePorts

/// Completed idempotency keys, in the same state as the records their requests created (the
/// decision and servicing transactions record them too, through ``IdempotencyRecording``).
/// The calls do not suspend: each is a short write (serialised with the transactions) or a read.
extension InMemoryStore: IdempotencyLog {
    public func completedRequest(key: String) async throws -> CompletedRequest? { snapshot().idempotency[key] }

    public func record(_ requests: [CompletedRequest]) async throws {
        guard !requests.isEmpty else { return }
        try mutate { try $0.record(requests) }
    }

    public func forgetRequests(receivedBefore instant: Instant) async throws -> Int {
        try mutate { state in
            let old = state.idempotency.filter { $0.value.receivedAt < instant }.map(\.key)
            for key in old { state.idempotency[key] = nil }
            return old.count
        }
    }

    /// The number of idempotency keys recorded.
    public func idempotencyKeyCount() -> Int { snapshot().idempotency.count }
}
