import LendingModel
import Logging
import Synchronization
import LendingStorePorts

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
    /// First use of the key: go ahead, then ``IdempotencyStore/complete(_:response:)`` or
    /// ``IdempotencyStore/release(key:)``.
    case claimed
    /// The key was used for the same request: send this response again, do nothing else.
    case replay(StoredResponse)
    /// The key was used for a different request (method, path or body): refuse with 409.
    case mismatch
}

/// The `Idempotency-Key` of a request being run, handed to the desk that stores the request's
/// record so that the key commits in the same transaction (``IdempotencyRecording``). The desk
/// calls ``markRecorded(_:)`` once that transaction has committed, and the service then sends
/// exactly the response recorded; a key not marked is recorded by the ``IdempotencyStore`` on
/// its own when the request completes.
public final class IdempotencyTicket: Sendable {
    public let key: String
    /// SHA-256 of the method, path and body.
    public let fingerprint: [UInt8]
    /// When the request arrived (the service's clock).
    public let receivedAt: Instant
    private let recorded = Mutex<StoredResponse?>(nil)

    public init(key: String, fingerprint: [UInt8], receivedAt: Instant) {
        self.key = key
        self.fingerprint = fingerprint
        self.receivedAt = receivedAt
    }

    /// The record of this key completed with `response`.
    public func completedRequest(_ response: StoredResponse) -> CompletedRequest {
        CompletedRequest(key: key, fingerprint: fingerprint, status: response.status, body: response.body, receivedAt: receivedAt)
    }

    /// Says that the key was committed with the request's record, with this response.
    public func markRecorded(_ response: StoredResponse) { recorded.withLock { $0 = response } }

    /// The response committed with the request's record, if it was.
    public var recordedResponse: StoredResponse? { recorded.withLock { $0 } }

    /// Whether the key was committed with the request's record.
    public var isRecorded: Bool { recordedResponse != nil }
}

/// Where idempotency keys live, each with a fingerprint of its request (SHA-256 of the method,
/// path and body) and, once done, the response. ``InMemoryIdempotencyStore`` keeps pending keys
/// and their waiters in memory, with an optional durable ``IdempotencyLog`` for completed keys.
///
/// Concurrent duplicates have one effect: while a key is claimed, a second claim with the same
/// fingerprint waits until the first completes (then replays) or is released (then claims).
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for a request, waiting while another request with the same fingerprint holds it.
    /// - Throws: the log's errors (the key is then not claimed).
    func claim(key: String, fingerprint: [UInt8]) async throws -> IdempotencyClaim
    /// Stores the response of a claimed key: later claims with the same fingerprint replay it.
    /// A ticket not marked recorded is written to the durable log here, if there is one.
    func complete(_ ticket: IdempotencyTicket, response: StoredResponse) async
    /// Gives up a claimed key after a failure that changed nothing (a storage error, bad input):
    /// the next request with the key runs again.
    func release(key: String) async
}

/// An ``IdempotencyStore`` in memory, optionally over a durable ``IdempotencyLog`` (the
/// application database with `lending serve --db`).
///
/// Pending keys and their waiters are in memory only (one process serves a database). Completed
/// keys are kept in memory, the oldest dropped beyond `capacity`; with a log, a key not held in
/// memory is looked up there before it is claimed, so a repeat after a restart (or after the key
/// was dropped) still replays, and the same key with another request is still refused.
public actor InMemoryIdempotencyStore: IdempotencyStore {
    private enum Entry {
        /// The key is being looked up in the log: every claim waits.
        case loading(waiters: [CheckedContinuation<Void, Never>])
        case pending(fingerprint: [UInt8], waiters: [CheckedContinuation<Void, Never>])
        case done(fingerprint: [UInt8], response: StoredResponse, receivedAt: Instant)
    }

    private var entries: [String: Entry] = [:]
    private var completedOrder: [String] = []
    private var completedStart = 0
    /// Completed keys kept in memory (the oldest go first).
    public let capacity: Int
    /// Where completed keys are kept across restarts, if anywhere.
    public let log: (any IdempotencyLog)?
    private let logger: Logger

    /// - Parameters:
    ///   - capacity: completed keys kept in memory (the oldest go first; with a log they stay there).
    ///   - log: the durable log of completed keys, or `nil` to forget them when the process ends.
    ///   - logger: failures to record a key (never bodies).
    public init(capacity: Int = 100_000, log: (any IdempotencyLog)? = nil, logger: Logger = Logger(label: "lending.idempotency")) {
        precondition(capacity > 0, "an idempotency store keeps at least one key")
        self.capacity = capacity
        self.log = log
        self.logger = logger
    }

    public func claim(key: String, fingerprint: [UInt8]) async throws -> IdempotencyClaim {
        while true {
            switch entries[key] {
            case nil:
                guard let log else {
                    entries[key] = .pending(fingerprint: fingerprint, waiters: [])
                    return .claimed
                }
                entries[key] = .loading(waiters: [])
                let found: CompletedRequest?
                do {
                    found = try await log.completedRequest(key: key)
                } catch {
                    wakeWaiters(key, replacingWith: nil)
                    throw error
                }
                if let found {
                    wakeWaiters(key, replacingWith: .done(fingerprint: found.fingerprint,
                                                          response: StoredResponse(status: found.status, body: found.body),
                                                          receivedAt: found.receivedAt))
                    remember(key)
                    continue
                }
                wakeWaiters(key, replacingWith: .pending(fingerprint: fingerprint, waiters: []))
                return .claimed
            case .done(let stored, let response, _):
                return stored == fingerprint ? .replay(response) : .mismatch
            case .loading:
                await wait(for: key)
            case .pending(let stored, _):
                guard stored == fingerprint else { return .mismatch }
                await wait(for: key)
            }
        }
    }

    public func complete(_ ticket: IdempotencyTicket, response: StoredResponse) async {
        guard case .pending(let fingerprint, _) = entries[ticket.key] else { return }
        if let log, !ticket.isRecorded {
            do {
                try await log.record([ticket.completedRequest(response)])
            } catch {
                // The request's own id (application, payment, draw) still makes a repeat a replay.
                logger.error("an idempotency key could not be recorded; it is kept in memory only",
                             metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
            }
        }
        wakeWaiters(ticket.key, replacingWith: .done(fingerprint: fingerprint, response: response, receivedAt: ticket.receivedAt))
        remember(ticket.key)
    }

    public func release(key: String) {
        guard case .pending = entries[key] else { return }
        wakeWaiters(key, replacingWith: nil)
    }

    /// Forgets the completed keys of requests received before `instant`, in memory and in the
    /// log (a client may then reuse them; a repeat runs again, and the request's own id still
    /// makes it a replay). Keys pending or being looked up are left alone.
    /// ``IdempotencyExpiry`` calls it once a day under `lending serve`.
    /// - Returns: the keys forgotten in the log, or in memory when there is no log.
    /// - Throws: the log's errors (the keys in memory are forgotten all the same).
    @discardableResult
    public func forgetRequests(receivedBefore instant: Instant) async throws -> Int {
        var forgotten = 0
        for (key, entry) in entries {
            if case .done(_, _, let receivedAt) = entry, receivedAt < instant {
                entries[key] = nil
                forgotten += 1
            }
        }
        guard let log else { return forgotten }
        return try await log.forgetRequests(receivedBefore: instant)
    }

    /// Requests waiting for `key` to be completed, released or looked up.
    public func waiting(key: String) -> Int {
        switch entries[key] {
        case .pending(_, let waiters), .loading(let waiters): waiters.count
        default: 0
        }
    }

    /// Whether a request holding `key` is running (claimed, neither completed nor released).
    public func isRunning(key: String) -> Bool {
        if case .pending = entries[key] { return true }
        return false
    }

    /// Keys held in memory (pending and completed).
    public var count: Int { entries.count }

    private func wait(for key: String) async {
        await withCheckedContinuation { continuation in
            switch entries[key] {
            case .pending(let fingerprint, var waiters):
                waiters.append(continuation)
                entries[key] = .pending(fingerprint: fingerprint, waiters: waiters)
            case .loading(var waiters):
                waiters.append(continuation)
                entries[key] = .loading(waiters: waiters)
            default:
                continuation.resume()
            }
        }
    }

    /// Moves `key` to its next state and lets its waiters look again.
    private func wakeWaiters(_ key: String, replacingWith entry: Entry?) {
        let waiters: [CheckedContinuation<Void, Never>]
        switch entries[key] {
        case .pending(_, let list), .loading(let list): waiters = list
        default: waiters = []
        }
        entries[key] = entry
        for waiter in waiters { waiter.resume() }
    }

    /// Counts a completed key, dropping the oldest beyond ``capacity``.
    private func remember(_ key: String) {
        completedOrder.append(key)
        if completedOrder.count - completedStart > capacity {
            let oldest = completedOrder[completedStart]
            if case .done = entries[oldest] { entries[oldest] = nil }
            completedStart += 1
            if completedStart > capacity {
                completedOrder.removeFirst(completedStart)
                completedStart = 0
            }
        }
    }
}
