import LendingModel
import LendingStorePorts
import Logging
import ServiceLifecycle

/// Writes the audit log of `lending serve`: every POST's caller, route, target, request id and
/// outcome, with group commit (the records of requests finishing together go in one
/// transaction). A request is answered once its record is stored; a failure to store it is
/// logged (with its code) and does not undo the request's own work, which is already committed.
public final class AuditTrail: Service, Sendable {
    private let writer: GroupCommitWriter<Item>

    struct Item: Sendable {
        let record: AuditRecord
        let continuation: CheckedContinuation<Void, any Error>
    }

    public init(log: any AuditLog, maximumBatch: Int = 512, logger: Logger = Logger(label: "lending.audit")) {
        writer = GroupCommitWriter(maximumBatch: maximumBatch) { batch in
            do {
                try log.appendAudit(batch.map(\.record))
                for item in batch { item.continuation.resume() }
            } catch {
                logger.error("storing \(batch.count) audit records failed", metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
    }

    /// Stores `record`; returns once it is committed (or its failure logged).
    public func record(_ record: AuditRecord) async {
        try? await writer.submit(then: "the audit record was not stored") { Item(record: record, continuation: $0) }
    }

    public func run() async throws { await writer.runUntilGracefulShutdown() }

    public func shutdown() async { await writer.shutdown() }
}
