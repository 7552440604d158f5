import Foundation
import LendingModel
import LendingStorePorts
import PostgresNIO

/// The back office's tables on PostgreSQL (migration `v5-back-office`): the audit log, signature
/// evidence and maker-checker requests, as on SQLite.
///
/// An audit append is a short transaction of its own under the audit log's own advisory lock
/// (``PostgresStore/Lock/audit``), never the decisions' or servicing's, so that it never waits
/// behind a long end of day or a batch of applications, and appends commit in the order of their
/// numbers: a reader paging with `after:` skips none. A failed append can still leave a gap in
/// the numbers (the identity column does not roll back). Reads
/// (``auditRecords(after:limit:)``, ``approvals(status:)``) run on a `REPEATABLE READ READ ONLY`
/// snapshot. Requests are written inside the decision transactions (reviews) and the servicing
/// transactions (write-offs), under each one's lock; evidence inside the servicing transactions.
extension PostgresStore: AuditLog, ApprovalReading {
    public func appendAudit(_ records: [AuditRecord]) throws {
        guard !records.isEmpty else { return }
        try transaction("append to the audit log", write: true, lock: .audit) { session in
            for chunk in records.chunked(by: 10_000) {
                var binds = PostgresBindings(capacity: 8)
                binds.append(chunk.map(\.at.secondsSinceEpoch))
                binds.append(chunk.map(\.actor))
                binds.append(chunk.map(\.channel))
                binds.append(chunk.map(\.action))
                binds.append(chunk.map(\.target))
                binds.append(chunk.map(\.requestID))
                binds.append(chunk.map(\.outcome))
                binds.append(chunk.map(\.detail))
                // In the order given (WITH ORDINALITY), so that the sequence follows it.
                try session.send("""
                    INSERT INTO audit_log (at, actor, channel, action, target, request_id, outcome, detail)
                    SELECT at, actor, channel, action, target, request_id, outcome, detail
                    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
                        AS t(at, actor, channel, action, target, request_id, outcome, detail, position)
                    ORDER BY position
                    """, binds: binds)
            }
        }
    }

    public func auditRecords(after sequence: Int64, limit: Int) throws -> [AuditRecord] {
        guard limit > 0 else { return [] }
        return try read("read the audit log") { session in
            try session.query("""
                SELECT sequence, at, actor, channel, action, target, request_id, outcome, detail FROM audit_log
                WHERE sequence > $1 ORDER BY sequence LIMIT $2
                """, [sequence, limit]).map { row in
                AuditRecord(sequence: try row.int(0), at: try row.instant(1), actor: try row.text(2), channel: try row.text(3),
                            action: try row.text(4), target: try row.text(5), requestID: try row.text(6), outcome: try row.text(7),
                            detail: try row.text(8))
            }
        }
    }

    public func approvals(status: ApprovalRequest.Status?) throws -> [ApprovalRequest] {
        try read("read the approval requests") { session in
            // Ties in time by the id's bytes (COLLATE "C"), as SQLite and the in-memory store order them.
            let order = #" ORDER BY requested_at, request_id COLLATE "C""#
            if let status {
                return try session.query(PostgresBackOffice.selectApprovals + " WHERE status = $1" + order, [status.rawValue])
                    .map(PostgresBackOffice.approval)
            }
            return try session.query(PostgresBackOffice.selectApprovals + order).map(PostgresBackOffice.approval)
        }
    }
}

extension PostgresDecisionTransaction: ApprovalRecording {
    func approval(requestID: String) throws -> ApprovalRequest? { try PostgresBackOffice.approval(session, requestID: requestID) }

    func save(approval: ApprovalRequest) throws { try PostgresBackOffice.save(session, approval) }
}

extension PostgresServicingTransaction: ApprovalRecording, SignatureRecording {
    func approval(requestID: String) throws -> ApprovalRequest? { try PostgresBackOffice.approval(session, requestID: requestID) }

    func save(approval: ApprovalRequest) throws { try PostgresBackOffice.save(session, approval) }

    /// Waits for the answer (not pipelined), so that evidence already stored is refused here.
    func insert(signature: SignatureEvidence) throws {
        try session.execute("""
            INSERT INTO signatures (application_id, accepted_at, channel, shown_text_hash, sealed_details, recorded_by, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [signature.applicationID, signature.acceptedAt.secondsSinceEpoch, signature.channel, Bytes(signature.shownTextHash),
                  Bytes(signature.sealedDetails), signature.recordedBy, signature.recordedAt.secondsSinceEpoch])
    }

    func signature(applicationID: String) throws -> SignatureEvidence? {
        try session.query("""
            SELECT application_id, accepted_at, channel, shown_text_hash, sealed_details, recorded_by, recorded_at
            FROM signatures WHERE application_id = $1
            """, [applicationID]).first.map { row in
            SignatureEvidence(applicationID: try row.text(0), acceptedAt: try row.instant(1), channel: try row.text(2),
                              shownTextHash: try row.bytes(3), sealedDetails: try row.bytes(4), recordedBy: try row.text(5),
                              recordedAt: try row.instant(6))
        }
    }
}

/// Maker-checker requests, shared by the decision and servicing transactions (one table for both).
enum PostgresBackOffice {
    static let selectApprovals = """
        SELECT request_id, kind, target, payload, requested_by, requested_at, status, decided_by, decided_at FROM approvals
        """

    static func approval(_ row: StoredRow) throws -> ApprovalRequest {
        ApprovalRequest(requestID: try row.text(0), kind: try row.text(1), target: try row.text(2), payload: try row.text(3),
                        requestedBy: try row.text(4), requestedAt: try row.instant(5),
                        status: ApprovalRequest.Status(rawValue: try row.text(6)) ?? .pending, decidedBy: try row.optionalText(7),
                        decidedAt: try row.optionalInt(8).map { Instant(secondsSinceEpoch: $0) })
    }

    static func approval(_ session: PostgresSession, requestID: String) throws -> ApprovalRequest? {
        try session.query(selectApprovals + " WHERE request_id = $1", [requestID]).first.map(approval)
    }

    /// Pipelined (nobody reads its answer): a failure is reported by the next statement that waits, or before the commit.
    static func save(_ session: PostgresSession, _ approval: ApprovalRequest) throws {
        try session.send("""
            INSERT INTO approvals (request_id, kind, target, payload, requested_by, requested_at, status, decided_by, decided_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (request_id) DO UPDATE SET kind = excluded.kind, target = excluded.target, payload = excluded.payload,
                requested_by = excluded.requested_by, requested_at = excluded.requested_at, status = excluded.status,
                decided_by = excluded.decided_by, decided_at = excluded.decided_at
            """, [approval.requestID, approval.kind, approval.target, approval.payload, approval.requestedBy,
                  approval.requestedAt.secondsSinceEpoch, approval.status.rawValue, approval.decidedBy, approval.decidedAt?.secondsSinceEpoch])
    }
}
