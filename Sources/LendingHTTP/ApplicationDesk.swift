import Foundation
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingScoring
import Logging
import ServiceLifecycle
import LendingStorePorts
import LendingApplications

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
    private let writer: GroupCommitWriter<Pending>
    /// Applications decided together at most.
    public var maximumBatch: Int { writer.maximumBatch }

    /// - Parameters:
    ///   - policy: the lender's policy.
    ///   - scorer: the credit scorecard.
    ///   - fraudModel: the fraud model, or `nil` for rules alone.
    ///   - protector: the database's personal-data key.
    ///   - store: in memory (`LendingMemoryStore.InMemoryStore`) or SQLite (`LendingStore.SQLiteStore`).
    ///   - maximumBatch: applications per transaction at most.
    ///   - logger: surges and store failures (never personal data).
    /// - Throws: the store's errors while the fraud state is rebuilt from it.
    public init(policy: LendingPolicy, scorer: Scorer, fraudModel: FraudModel?, protector: PersonalDataProtector,
                store: any DecisionStore, maximumBatch: Int = 512, logger: Logger = Logger(label: "lending.applications")) throws {
        let processor = try ApplicationProcessor(policy: policy, scorer: scorer, fraudModel: fraudModel, protector: protector,
                                                 store: store, logger: logger)
        preparer = processor.preparer
        self.store = store
        let batches = Batches(processor: processor, store: store, logger: logger)
        writer = GroupCommitWriter(maximumBatch: maximumBatch) { batches.process($0) }
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
        return try await writer.submit(then: "send the application again later") {
            Pending(prepared: prepared, ticket: ticket, continuation: $0)
        }
    }

    /// The stored application and its latest decision, or `nil`.
    public func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? {
        try store.application(applicationID)
    }

    /// Applications accepted and not yet taken by the writer.
    var waitingCount: Int { writer.waitingCount }

    /// Waits for graceful shutdown, then stops taking applications and finishes those accepted.
    public func run() async throws { await writer.runUntilGracefulShutdown() }

    /// Stops taking applications; returns once the ones already accepted are stored and answered.
    public func shutdown() async { await writer.shutdown() }

    struct Pending: Sendable, KeyedRequest {
        let prepared: PreparedApplication
        let ticket: IdempotencyTicket?
        let continuation: CheckedContinuation<DecidedApplication, any Error>
    }

    /// The batches of the writer thread, which owns the processor. `@unchecked Sendable`: the
    /// processor is handed to the writer thread at start and never touched from anywhere else.
    final class Batches: @unchecked Sendable { // used only by the writer thread once started
        let processor: ApplicationProcessor
        let store: any DecisionStore
        let logger: Logger

        init(processor: ApplicationProcessor, store: any DecisionStore, logger: Logger) {
            self.processor = processor
            self.store = store
            self.logger = logger
        }

        /// Decides and stores a batch in one transaction, with the keys of its requests (and the
        /// responses their decisions make); answers each caller once it has committed.
        func process(_ batch: [Pending]) {
            let results: [Result<DecidedApplication, any Error>]
            var recorded: [(IdempotencyTicket, StoredResponse)] = []
            do {
                results = try store.withTransaction { transaction in
                    try processor.prepare(transaction)
                    let results = try processor.decide(batch: batch.map { .success($0.prepared) }, in: transaction)
                    recorded = try GroupCommitWriter.recordKeys(of: batch, results, in: transaction) { result in
                        RouteAnswer.stored { try RouteAnswer.application(result) }
                    }
                    return results
                }
            } catch {
                processor.invalidate()
                logger.error("storing \(batch.count) decisions failed; the applications were not stored",
                             metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
                for item in batch { item.continuation.resume(throwing: error) }
                return
            }
            for (ticket, response) in recorded { ticket.markRecorded(response) }
            for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
        }
    }
}
