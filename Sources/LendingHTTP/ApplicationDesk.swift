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
    private let queue: WorkQueue<Pending>
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
        queue = WorkQueue()
        let writer = Writer(processor: processor, store: store, queue: queue, maximumBatch: maximumBatch, logger: logger)
        let thread = Thread { writer.run() }
        thread.name = "lending.applications"
        thread.start()
    }

    /// The credit model's characteristic names and the contract's columns, read from JSON.
    public var reader: ApplicationReader { preparer.reader }

    /// Decides one application: prepared on this task, decided and stored by the writer.
    /// - Parameters:
    ///   - input: the application.
    ///   - ticket: the request's Idempotency-Key: when the store's transaction can record it
    ///     (``IdempotencyRecording``, as SQLite's does), the key and the response
    ///     `POST /v1/applications` sends for this decision (or its `apply.conflict`) commit in the
    ///     transaction that stores the decision, and the ticket is marked recorded.
    /// - Returns: the stored decision (``DecidedApplication/replayed`` for an application id
    ///   already decided with the same inputs).
    /// - Throws: ``ApplicationError`` for input that cannot be decided (`apply.characteristic`),
    ///   or whose id was decided with other inputs (`apply.conflict`); the store's errors; and
    ///   ``HTTPServiceError`` (503) once the desk is shut down.
    public func decide(_ input: ApplicationInput, ticket: IdempotencyTicket? = nil) async throws -> DecidedApplication {
        let prepared = try preparer.prepare(input)
        return try await withCheckedThrowingContinuation { continuation in
            if !queue.push(Pending(prepared: prepared, ticket: ticket, continuation: continuation)) {
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
        let ticket: IdempotencyTicket?
        let continuation: CheckedContinuation<DecidedApplication, any Error>
    }

    /// The one thread that owns the processor. `@unchecked Sendable`: the processor is handed to
    /// the writer thread at start and never touched from anywhere else.
    final class Writer: @unchecked Sendable {
        let processor: ApplicationProcessor
        let store: any DecisionStore
        let queue: WorkQueue<Pending>
        let maximumBatch: Int
        let logger: Logger

        init(processor: ApplicationProcessor, store: any DecisionStore, queue: WorkQueue<Pending>, maximumBatch: Int, logger: Logger) {
            self.processor = processor
            self.store = store
            self.queue = queue
            self.maximumBatch = maximumBatch
            self.logger = logger
        }

        func run() {
            while let batch = queue.take(upTo: maximumBatch) {
                let results: [Result<DecidedApplication, any Error>]
                var recorded: [(IdempotencyTicket, StoredResponse)] = []
                do {
                    results = try store.withTransaction { transaction in
                        try processor.prepare(transaction)
                        let results = try processor.decide(batch: batch.map { .success($0.prepared) }, in: transaction)
                        recorded = try Writer.recordKeys(of: batch, results, in: transaction)
                        return results
                    }
                } catch {
                    processor.invalidate()
                    logger.error("storing \(batch.count) decisions failed; the applications were not stored",
                                 metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
                    for item in batch { item.continuation.resume(throwing: error) }
                    continue
                }
                for (ticket, response) in recorded { ticket.markRecorded(response) }
                for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
            }
            queue.markFinished()
        }

        /// Records the Idempotency-Keys of a batch's requests with the responses their decisions
        /// make, in the transaction that stores the decisions (when the store can).
        static func recordKeys(of batch: [Pending], _ results: [Result<DecidedApplication, any Error>],
                               in transaction: any DecisionTransaction) throws -> [(IdempotencyTicket, StoredResponse)] {
            guard let recorder = transaction as? any IdempotencyRecording else { return [] }
            var recorded: [(IdempotencyTicket, StoredResponse)] = []
            for (item, result) in zip(batch, results) {
                guard let ticket = item.ticket, let response = RouteAnswer.stored({ try RouteAnswer.application(result) }) else { continue }
                recorded.append((ticket, response))
            }
            if !recorded.isEmpty { try recorder.record(recorded.map { $0.0.completedRequest($0.1) }) }
            return recorded
        }
    }
}
