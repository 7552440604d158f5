/// A response kept under an idempotency key, to be sent again for a replay.
public struct StoredResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The JSON body.
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// What a request holding an `Idempotency-Key` may do.
public enum IdempotencyClaim: Sendable, Equatable {
    /// First use of the key: go ahead, then ``IdempotencyStore/complete(key:response:)`` or
    /// ``IdempotencyStore/release(key:)``.
    case claimed
    /// The key was used for the same request: send this response again, do nothing else.
    case replay(StoredResponse)
    /// The key was used for a different request (method, path or body): refuse with 409.
    case mismatch
}

/// Where idempotency keys live, each with a fingerprint of its request (SHA-256 of the method,
/// path and body) and, once done, the response. A port: ``InMemoryIdempotencyStore`` here; a
/// SQLite adapter (in the application database, so a key and the record it created commit
/// together across restarts) belongs in LendingStore.
///
/// Concurrent duplicates have one effect: while a key is claimed, a second claim with the same
/// fingerprint waits until the first completes (then replays) or is released (then claims).
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for a request, waiting while another request with the same fingerprint holds it.
    func claim(key: String, fingerprint: [UInt8]) async throws -> IdempotencyClaim
    /// Stores the response of a claimed key: later claims with the same fingerprint replay it.
    func complete(key: String, response: StoredResponse) async throws
    /// Gives up a claimed key after a failure that changed nothing (a storage error): the next
    /// request with the key runs again.
    func release(key: String) async
}

/// An ``IdempotencyStore`` in memory: keys are forgotten when the process ends, and the oldest
/// completed keys are dropped beyond `capacity`.
public actor InMemoryIdempotencyStore: IdempotencyStore {
    private enum Entry {
        case pending(fingerprint: [UInt8], waiters: [CheckedContinuation<Void, Never>])
        case done(fingerprint: [UInt8], response: StoredResponse)
    }

    private var entries: [String: Entry] = [:]
    private var completedOrder: [String] = []
    private var completedStart = 0
    public let capacity: Int

    /// - Parameter capacity: completed keys kept (the oldest go first).
    public init(capacity: Int = 100_000) {
        precondition(capacity > 0, "an idempotency store keeps at least one key")
        self.capacity = capacity
    }

    public func claim(key: String, fingerprint: [UInt8]) async -> IdempotencyClaim {
        while true {
            switch entries[key] {
            case nil:
                entries[key] = .pending(fingerprint: fingerprint, waiters: [])
                return .claimed
            case .done(let stored, let response):
                return stored == fingerprint ? .replay(response) : .mismatch
            case .pending(let stored, _):
                guard stored == fingerprint else { return .mismatch }
                await withCheckedContinuation { continuation in
                    if case .pending(let current, var waiters) = entries[key] {
                        waiters.append(continuation)
                        entries[key] = .pending(fingerprint: current, waiters: waiters)
                    } else {
                        continuation.resume()
                    }
                }
            }
        }
    }

    public func complete(key: String, response: StoredResponse) {
        guard case .pending(let fingerprint, let waiters) = entries[key] else { return }
        entries[key] = .done(fingerprint: fingerprint, response: response)
        completedOrder.append(key)
        if completedOrder.count - completedStart > capacity {
            entries[completedOrder[completedStart]] = nil
            completedStart += 1
            if completedStart > capacity {
                completedOrder.removeFirst(completedStart)
                completedStart = 0
            }
        }
        for waiter in waiters { waiter.resume() }
    }

    public func release(key: String) {
        guard case .pending(_, let waiters) = entries[key] else { return }
        entries[key] = nil
        for waiter in waiters { waiter.resume() }
    }

    /// Requests waiting for `key` to be completed or released.
    public func waiting(key: String) -> Int {
        if case .pending(_, let waiters) = entries[key] { return waiters.count }
        return 0
    }

    /// Keys held (pending and completed).
    public var count: Int { entries.count }
}
