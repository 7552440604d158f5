import LendingModel
import Logging
import ServiceLifecycle

/// Forgets completed idempotency keys older than ``days`` days: once when it starts, then once
/// a day, until graceful shutdown. ``LendingService/application(configuration:)`` runs one in the
/// server's `ServiceGroup` when ``LendingService/idempotencyDays`` is above 0 and its store is an
/// ``InMemoryIdempotencyStore`` (`lending serve --idempotency-days`, 30 by default).
///
/// A forgotten key may be used again by a client; a repeat of its request runs again, and the
/// request's own id (application, draw, payment) still makes it a replay.
public struct IdempotencyExpiry: Service {
    /// The keys' store (and its durable log).
    public let store: InMemoryIdempotencyStore
    /// Keys of requests received at least this many days ago are forgotten (at least 1).
    public let days: Int
    /// The current time: the service's clock, which also dates the keys.
    public let clock: @Sendable () -> Instant
    /// The time between two passes.
    public let interval: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - store: the idempotency keys.
    ///   - days: the days a completed key is kept (at least 1).
    ///   - clock: the current time (the service's clock).
    ///   - interval: the time between two passes (a day).
    ///   - logger: the keys forgotten, and the log's failures (codes only).
    public init(store: InMemoryIdempotencyStore, days: Int, clock: @escaping @Sendable () -> Instant,
                interval: Duration = .seconds(86_400), logger: Logger = Logger(label: "lending.idempotency")) {
        precondition(days > 0, "keys are kept at least a day")
        self.store = store
        self.days = days
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// The instant before which requests' keys are forgotten now: ``days`` days before the clock.
    public var cutoff: Instant { Instant(secondsSinceEpoch: clock().secondsSinceEpoch - Int64(days) * 86_400) }

    /// Forgets the keys older than ``days`` days now.
    /// - Returns: the keys forgotten (``InMemoryIdempotencyStore/forgetRequests(receivedBefore:)``).
    /// - Throws: the log's errors.
    @discardableResult
    public func expire() async throws -> Int {
        try await store.forgetRequests(receivedBefore: cutoff)
    }

    /// Expires keys now and then every ``interval`` until graceful shutdown or cancellation. A
    /// failed pass is logged and tried again at the next one.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let forgotten = try await expire()
                if forgotten > 0 { logger.info("idempotency keys expired", metadata: ["forgotten": "\(forgotten)", "days": "\(days)"]) }
            } catch {
                logger.error("idempotency keys could not be expired; trying again later",
                             metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
            }
            let interval = interval
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
