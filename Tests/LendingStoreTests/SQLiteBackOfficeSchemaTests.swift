import LendingModel
import LendingStore
import LendingStorePorts
import Testing

/// The back office's tables (migration `v6-back-office`) refuse, through raw SQL as someone with
/// the file would write it, what the ports never do: changing or removing an audit record or
/// signature evidence, and removing an approval request.
@Suite struct SQLiteBackOfficeSchemaTests {
    @Test func auditRecordsCannotBeUpdatedOrDeletedThroughSQL() throws {
        let store = try filledStore()
        expectRefused("the audit log is append-only") { try store.executeUnchecked("UPDATE audit_log SET outcome = 'ok' WHERE sequence = 2") }
        expectRefused("the audit log is append-only") { try store.executeUnchecked("DELETE FROM audit_log WHERE sequence = 1") }
        expectRefused("the audit log is append-only") { try store.executeUnchecked("DELETE FROM audit_log") }
        #expect(try store.auditRecords(after: 0, limit: 10).map(\.outcome) == ["ok", "422 loan.over_limit"])
    }

    @Test func signatureEvidenceCannotBeUpdatedOrDeletedThroughSQL() throws {
        let store = try filledStore()
        expectRefused("signature evidence is append-only") {
            try store.executeUnchecked("UPDATE signatures SET channel = 'branch' WHERE application_id = 'A1'")
        }
        expectRefused("signature evidence is append-only") { try store.executeUnchecked("DELETE FROM signatures WHERE application_id = 'A1'") }
        #expect(try store.readServicing { try $0.signature(applicationID: "A1") }?.channel == "app")
    }

    @Test func approvalRequestsCannotBeDeletedThroughSQLButTheirStatusChanges() throws {
        let store = try filledStore()
        expectRefused("approval requests are never deleted") { try store.executeUnchecked("DELETE FROM approvals WHERE request_id = 'review:A1'") }
        expectRefused("approval requests are never deleted") { try store.executeUnchecked("DELETE FROM approvals") }
        #expect(throws: (any Error).self) { try store.executeUnchecked("UPDATE approvals SET status = 'maybe'") }
        try store.executeUnchecked("UPDATE approvals SET status = 'rejected', decided_by = 'checker', decided_at = 1790000600")
        let stored = try #require(try store.approvals(status: .rejected).first)
        #expect(stored.requestID == "review:A1" && stored.decidedBy == "checker" && stored.decidedAt == Instant(secondsSinceEpoch: 1_790_000_600))
    }

    /// A database made before the back office (migrated through `v5-revisions`) gets its tables.
    @Test func aDatabaseFromBeforeTheBackOfficeGetsItsTables() throws {
        let path = freshDatabase("before-back-office")
        do {
            let store = try SQLiteStore(path: path)
            try store.executeUnchecked("""
                DROP TABLE audit_log; DROP TABLE signatures; DROP TABLE approvals;
                DELETE FROM grdb_migrations WHERE identifier = 'v6-back-office'
                """)
            #expect(throws: (any Error).self) { try store.auditRecords(after: 0, limit: 1) }
        }
        let reopened = try SQLiteStore(path: path)
        try reopened.appendAudit([AuditRecord(at: Instant(secondsSinceEpoch: 1_790_000_000), actor: "ops", channel: "cli", action: "eod",
                                              requestID: "run-1", outcome: "ok")])
        #expect(try reopened.auditRecords(after: 0, limit: 1).map(\.sequence) == [1])
        #expect(try reopened.approvals(status: nil).isEmpty)
    }

    /// An in-memory database with two audit records, one signature and one pending approval.
    private func filledStore() throws -> SQLiteStore {
        let store = try SQLiteStore(path: ":memory:")
        let at = Instant(secondsSinceEpoch: 1_790_000_000)
        try store.appendAudit([
            AuditRecord(at: at, actor: "ops", channel: "cli", action: "sign", target: "A1", requestID: "run-1", outcome: "ok"),
            AuditRecord(at: at, actor: "key:partner", channel: "http", action: "POST /v1/loans/{id}/repayments", target: "L1",
                        requestID: "req-2", outcome: "422 loan.over_limit"),
        ])
        try store.withServicingTransaction { transaction in
            try transaction.insert(signature: SignatureEvidence(applicationID: "A1", acceptedAt: at, channel: "app",
                                                                shownTextHash: Array(repeating: 7, count: 32), sealedDetails: [1, 2, 3],
                                                                recordedBy: "ops", recordedAt: at))
        }
        try store.withTransaction { transaction in
            try transaction.save(approval: ApprovalRequest(requestID: "review:A1", kind: "review", target: "A1", payload: "{}",
                                                           requestedBy: "maker", requestedAt: at))
        }
        return store
    }

    /// Expects `body` to fail with the trigger's message.
    private func expectRefused(_ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected the refusal '\(message)'", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(message), "\(error)", sourceLocation: sourceLocation)
        }
    }
}
