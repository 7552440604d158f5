import Foundation
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPipeline
import LendingScoring
import Logging
import ServiceLifecycle

/// Decides applications arriving concurrently, one writer at a time, with group commit: the
/// applications that arrive while a transaction is being written are decided together in the
/// next one, in arrival order, each against everything stored before it. Every caller gets its
/// own decision, and only after the transaction holding it has committed (with SQLite at
/// `synchronous=FULL`, after it is on disk).
///
/// The ``ApplicationProcessor`` (which owns the fraud state and the chain's head) lives on one
/// thread of the desk's own, so a slow commit never blocks Swift's cooperative threads; the
/// stateless part (reading, checks, the credit score, keyed hashes) runs on the caller's task.
///
/// A `Service`: run it in the server's `ServiceGroup` so that graceful shutdown finishes the
/// applications already accepted before the process ends. Usable alone: ``shutdown()`` stops it.
public final class ApplicationDesk: Service, Sendable {
    /// Reads and prepares applications on any task.
    public let preparer: ApplicationProcessor.Preparer
    /// The store the desk writes to.
    public let store: any DecisionStore
    private let queue: Queue
    /// Applications decided together at most.
    public let maximumBatch: Int

    /// - Parameters:
    ///   - policy: the lender's policy.
    ///   - scorer: the credit scorecard.
    ///   - fraudModel: the fraud model, or `nil` for rules alone.
    ///   - protector: the database's personal-data key.
    ///   - store: in memory (``InMemoryDecisionStore``) or SQLite (`LendingStore.SQLiteStore`).
    ///   - maximumBatch: applications per transaction at most.
    ///   - logger: surges and store failures (never personal data).
    /// - Throws: the store's errors while the fraud state is rebuilt from it.
    public init(policy: LendingPolicy, scorer: Scorer, fraudModel: FraudModel?, protector: PersonalDataProtector,
                store: any DecisionStore, maximumBatch: Int = 512, logger: Logger = Logger(label: "lending.applications")) throws {
        precondition(maximumBatch > 0, "a batch holds at least one application")
        let processor = try ApplicationProcessor(policy: policy, scorer: scorer, fraudModel: fraudModel, protector: protector,
                                                 store: store, logger: logger)
        preparer = processor.preparer
        self.store = store
        self.maximumBatch = maximumBatch
        queue = Queue()
        let writer = Writer(processor: processor, store: store, queue: queue, maximumBatch: maximumBatch, logger: logger)
        let thread = Thread { writer.run() }
        thread.name = "lending.applications"
        thread.start()
    }

    /// The credit model's characteristic names and the contract's columns, read from JSON.
    public var reader: ApplicationReader { preparer.reader }

    /// Decides one application: prepared on this task, decided and stored by the writer.
    /// - Returns: the stored decision (``DecidedApplication/replayed`` for an application id
    ///   already decided with the same inputs).
    /// - Throws: ``ApplicationError`` for input that cannot be decided (`apply.characteristic`),
    ///   or whose id was decided with other inputs (`apply.conflict`); the store's errors; and
    ///   ``HTTPServiceError`` (503) once the desk is shut down.
    public func decide(_ input: ApplicationInput) async throws -> DecidedApplication {
        let prepared = try preparer.prepare(input)
        return try await withCheckedThrowingContinuation { continuation in
            if !queue.push(Pending(prepared: prepared, continuation: continuation)) {
                continuation.resume(throwing: HTTPServiceError(.serviceUnavailable, code: "http.shutting_down",
                                                               message: "the service is shutting down; send the application again later"))
            }
        }
    }

    /// The stored application and its latest decision, or `nil`.
    public func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? {
        try store.application(applicationID)
    }

    /// Applications accepted and not yet taken by the writer.
    var waitingCount: Int { queue.count }

    /// Waits for graceful shutdown, then stops taking applications and finishes those accepted.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops taking applications; returns once the ones already accepted are stored and answered.
    public func shutdown() async {
        await withCheckedContinuation { continuation in queue.close(then: continuation) }
    }

    struct Pending: Sendable {
        let prepared: PreparedApplication
        let continuation: CheckedContinuation<DecidedApplication, any Error>
    }

    /// Applications waiting for the writer.
    final class Queue: @unchecked Sendable {
        private let condition = NSCondition()
        private var items: [Pending] = []
        private var closed = false
        private var closedWaiters: [CheckedContinuation<Void, Never>] = []
        private var finished = false

        /// Applications waiting for the writer.
        var count: Int {
            condition.lock()
            defer { condition.unlock() }
            return items.count
        }

        func push(_ item: Pending) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            guard !closed else { return false }
            items.append(item)
            condition.signal()
            return true
        }

        /// Up to `limit` applications, waiting for at least one; `nil` once closed and drained.
        func take(upTo limit: Int) -> [Pending]? {
            condition.lock()
            defer { condition.unlock() }
            while items.isEmpty && !closed { condition.wait() }
            guard !items.isEmpty else { return nil }
            let count = min(limit, items.count)
            let batch = Array(items.prefix(count))
            items.removeFirst(count)
            return batch
        }

        func close(then waiter: CheckedContinuation<Void, Never>) {
            condition.lock()
            closed = true
            if finished {
                condition.unlock()
                waiter.resume()
                return
            }
            closedWaiters.append(waiter)
            condition.broadcast()
            condition.unlock()
        }

        func markFinished() {
            condition.lock()
            finished = true
            let waiters = closedWaiters
            closedWaiters = []
            condition.unlock()
            for waiter in waiters { waiter.resume() }
        }
    }

    /// The one thread that owns the processor. `@unchecked Sendable`: the processor is handed to
    /// the writer thread at start and never touched from anywhere else.
    final class Writer: @unchecked Sendable {
        let processor: ApplicationProcessor
        let store: any DecisionStore
        let queue: Queue
        let maximumBatch: Int
        let logger: Logger

        init(processor: ApplicationProcessor, store: any DecisionStore, queue: Queue, maximumBatch: Int, logger: Logger) {
            self.processor = processor
            self.store = store
            self.queue = queue
            self.maximumBatch = maximumBatch
            self.logger = logger
        }

        func run() {
            while let batch = queue.take(upTo: maximumBatch) {
                let results: [Result<DecidedApplication, any Error>]
                do {
                    results = try store.withTransaction { transaction in
                        try processor.prepare(transaction)
                        return try processor.decide(batch: batch.map { .success($0.prepared) }, in: transaction)
                    }
                } catch {
                    processor.invalidate()
                    logger.error("storing \(batch.count) decisions failed; the applications were not stored",
                                 metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
                    for item in batch { item.continuation.resume(throwing: error) }
                    continue
                }
                for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
            }
            queue.markFinished()
        }
    }
}
