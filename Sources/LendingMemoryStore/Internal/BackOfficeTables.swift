import LendingModel
import LendingStorePorts

/// The back office's tables: the audit log (in sequence order: a record's sequence is its index
/// + 1), signature evidence by application, and maker-checker requests by request id.
struct BackOfficeTables: Sendable {
    var audit: [AuditRecord] = []
    var signatures: [String: SignatureEvidence] = [:]
    var approvals: [String: ApprovalRequest] = [:]

    /// Appends records numbered after the last one (their own sequence is ignored).
    mutating func appendAudit(_ records: [AuditRecord]) {
        for var record in records {
            record.sequence = Int64(audit.count) + 1
            audit.append(record)
        }
    }

    /// The records numbered after `sequence`, `limit` at most.
    func auditRecords(after sequence: Int64, limit: Int) -> [AuditRecord] {
        guard limit > 0 else { return [] }
        let start = Int(min(max(sequence, 0), Int64(audit.count)))
        return Array(audit[start..<min(start + limit, audit.count)])
    }

    /// Stores evidence; an application keeps its first (as SQLite's primary key and triggers do).
    mutating func insert(signature: SignatureEvidence) throws {
        guard signatures[signature.applicationID] == nil else {
            throw InMemoryStoreError.duplicate("the signature evidence of application \(signature.applicationID)")
        }
        signatures[signature.applicationID] = signature
    }

    /// The requests with `status` (all when `nil`), by time asked, then by id in SQLite's order.
    func approvals(status: ApprovalRequest.Status?) -> [ApprovalRequest] {
        approvals.values.filter { status == nil || $0.status == status }.sorted { left, right in
            left.requestedAt != right.requestedAt ? left.requestedAt < right.requestedAt : precedesInBinaryOrder(left.requestID, right.requestID)
        }
    }
}
