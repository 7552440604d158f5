import Foundation
import GRDB
import LendingModel
import LendingStorePorts

/// The back office's tables (migration `v6-back-office`): the audit log (append-only, numbered by
/// its rowid from 1), signature evidence (one row per application, append-only) and maker-checker
/// requests (one row per request id; the status and decision change, a row is never deleted).
/// Instants are stored as seconds.
extension SQLiteStore: AuditLog, ApprovalReading {
    static func migrateBackOffice(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_log (
                sequence INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                channel TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                request_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT NOT NULL
            );
            CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TABLE signatures (
                application_id TEXT PRIMARY KEY NOT NULL,
                accepted_at INTEGER NOT NULL,
                channel TEXT NOT NULL,
                shown_text_hash BLOB NOT NULL,
                sealed_details BLOB NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at INTEGER NOT NULL
            );
            CREATE TRIGGER signatures_are_append_only_update BEFORE UPDATE ON signatures
                BEGIN SELECT RAISE(ABORT, 'signature evidence is append-only'); END;
            CREATE TRIGGER signatures_are_append_only_delete BEFORE DELETE ON signatures
                BEGIN SELECT RAISE(ABORT, 'signature evidence is append-only'); END;
            CREATE TABLE approvals (
                request_id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                payload TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requested_at INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
                decided_by TEXT,
                decided_at INTEGER
            );
            CREATE INDEX approvals_by_status ON approvals (status, requested_at);
            CREATE TRIGGER approvals_are_kept BEFORE DELETE ON approvals
                BEGIN SELECT RAISE(ABORT, 'approval requests are never deleted'); END;
            """)
    }

    public func appendAudit(_ records: [AuditRecord]) throws {
        guard !records.isEmpty else { return }
        try write("append to the audit log") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO audit_log (at, actor, channel, action, target, request_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for record in records {
                try statement.execute(arguments: [record.at.secondsSinceEpoch, record.actor, record.channel, record.action, record.target,
                                                  record.requestID, record.outcome, record.detail])
            }
        }
    }

    public func auditRecords(after sequence: Int64, limit: Int) throws -> [AuditRecord] {
        guard limit > 0 else { return [] }
        return try read("read the audit log") { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT sequence, at, actor, channel, action, target, request_id, outcome, detail FROM audit_log
                WHERE sequence > ? ORDER BY sequence LIMIT ?
                """), arguments: [sequence, limit]).map { row in
                AuditRecord(sequence: row[0], at: Instant(secondsSinceEpoch: row[1]), actor: row[2], channel: row[3], action: row[4],
                            target: row[5], requestID: row[6], outcome: row[7], detail: row[8])
            }
        }
    }

    public func approvals(status: ApprovalRequest.Status?) throws -> [ApprovalRequest] {
        try read("read the approval requests") { db in
            if let status {
                return try Row.fetchAll(db.cachedStatement(sql: SQLiteBackOffice.selectApprovals + " WHERE status = ? ORDER BY requested_at, request_id"),
                                        arguments: [status.rawValue]).map(SQLiteBackOffice.approval)
            }
            return try Row.fetchAll(db.cachedStatement(sql: SQLiteBackOffice.selectApprovals + " ORDER BY requested_at, request_id"))
                .map(SQLiteBackOffice.approval)
        }
    }
}

extension SQLiteDecisionTransaction {
    func approval(requestID: String) throws -> ApprovalRequest? { try SQLiteBackOffice.approval(db, requestID: requestID) }

    func save(approval: ApprovalRequest) throws { try SQLiteBackOffice.save(db, approval) }
}

extension SQLiteServicingTransaction {
    func approval(requestID: String) throws -> ApprovalRequest? { try SQLiteBackOffice.approval(db, requestID: requestID) }

    func save(approval: ApprovalRequest) throws { try SQLiteBackOffice.save(db, approval) }

    func insert(signature: SignatureEvidence) throws {
        try db.cachedStatement(sql: """
            INSERT INTO signatures (application_id, accepted_at, channel, shown_text_hash, sealed_details, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                signature.applicationID, signature.acceptedAt.secondsSinceEpoch, signature.channel, Data(signature.shownTextHash),
                Data(signature.sealedDetails), signature.recordedBy, signature.recordedAt.secondsSinceEpoch,
            ])
    }

    func signature(applicationID: String) throws -> SignatureEvidence? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT application_id, accepted_at, channel, shown_text_hash, sealed_details, recorded_by, recorded_at
            FROM signatures WHERE application_id = ?
            """), arguments: [applicationID]).map { row in
            SignatureEvidence(applicationID: row[0], acceptedAt: Instant(secondsSinceEpoch: row[1]), channel: row[2],
                              shownTextHash: [UInt8](row[3] as Data), sealedDetails: [UInt8](row[4] as Data), recordedBy: row[5],
                              recordedAt: Instant(secondsSinceEpoch: row[6]))
        }
    }
}

/// Maker-checker requests, shared by the decision and servicing transactions (one table for both).
enum SQLiteBackOffice {
    static let selectApprovals = """
        SELECT request_id, kind, target, payload, requested_by, requested_at, status, decided_by, decided_at FROM approvals
        """

    static func approval(_ row: Row) -> ApprovalRequest {
        ApprovalRequest(requestID: row[0], kind: row[1], target: row[2], payload: row[3], requestedBy: row[4],
                        requestedAt: Instant(secondsSinceEpoch: row[5]), status: ApprovalRequest.Status(rawValue: row[6]) ?? .pending,
                        decidedBy: row[7], decidedAt: (row[8] as Int64?).map { Instant(secondsSinceEpoch: $0) })
    }

    static func approval(_ db: Database, requestID: String) throws -> ApprovalRequest? {
        try Row.fetchOne(db.cachedStatement(sql: selectApprovals + " WHERE request_id = ?"), arguments: [requestID]).map(approval)
    }

    static func save(_ db: Database, _ approval: ApprovalRequest) throws {
        try db.cachedStatement(sql: """
            INSERT INTO approvals (request_id, kind, target, payload, requested_by, requested_at, status, decided_by, decided_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id) DO UPDATE SET kind = excluded.kind, target = excluded.target, payload = excluded.payload,
                requested_by = excluded.requested_by, requested_at = excluded.requested_at, status = excluded.status,
                decided_by = excluded.decided_by, decided_at = excluded.decided_at
            """).execute(arguments: [
                approval.requestID, approval.kind, approval.target, approval.payload, approval.requestedBy,
                approval.requestedAt.secondsSinceEpoch, approval.status.rawValue, approval.decidedBy, approval.decidedAt?.secondsSinceEpoch,
            ])
    }
}
