import LendingModel
import LendingStorePorts
import Testing

/// The back office's ports (``AuditLog``, ``SignatureRecording``, ``ApprovalRecording``,
/// ``ApprovalReading``) on every adapter.
@Suite struct BackOfficeConformanceTests {
    // MARK: Audit log

    @Test(arguments: StoreKind.allCases)
    func auditRecordsAreNumberedInAppendOrderAcrossCalls(_ kind: StoreKind) throws {
        let store = try kind.openDatabase()
        #expect(try store.auditRecords(after: 0, limit: 10).isEmpty)
        // The sequence given is ignored: the store numbers the records.
        try store.appendAudit([audit("review.decide", target: "A7-1", sequence: 42), audit("sign", target: "A7-1", minute: 2)])
        try store.appendAudit([])
        try store.appendAudit([audit("POST /v1/loans/{id}/repayments", target: "L-9", minute: 3, channel: "http",
                                     outcome: "422 loan.over_limit", detail: "还款 500.00 元; rows=3")])
        let read = try store.auditRecords(after: 0, limit: 10)
        #expect(read.map(\.sequence) == [1, 2, 3])
        #expect(read == [
            audit("review.decide", target: "A7-1", sequence: 1),
            audit("sign", target: "A7-1", minute: 2, sequence: 2),
            audit("POST /v1/loans/{id}/repayments", target: "L-9", minute: 3, channel: "http", outcome: "422 loan.over_limit",
                  detail: "还款 500.00 元; rows=3", sequence: 3),
        ])
    }

    @Test(arguments: StoreKind.allCases)
    func auditRecordsArePagedAfterASequence(_ kind: StoreKind) throws {
        let store = try kind.openDatabase()
        try store.appendAudit((1...5).map { audit("repay", target: "L-\($0)", minute: Int64($0)) })
        #expect(try store.auditRecords(after: 0, limit: 2).map(\.target) == ["L-1", "L-2"])
        #expect(try store.auditRecords(after: 2, limit: 2).map(\.sequence) == [3, 4])
        #expect(try store.auditRecords(after: 4, limit: 2).map(\.sequence) == [5])
        #expect(try store.auditRecords(after: 5, limit: 2).isEmpty)
        #expect(try store.auditRecords(after: 0, limit: 0).isEmpty)
        #expect(try store.auditRecords(after: -1, limit: 100).map(\.sequence) == [1, 2, 3, 4, 5])
        try store.appendAudit([audit("eod", minute: 9)])
        let last = try store.auditRecords(after: 5, limit: 10)
        #expect(last == [audit("eod", minute: 9, sequence: 6)])
    }

    // MARK: Signatures

    @Test(arguments: StoreKind.allCases)
    func signatureEvidenceReadsBackAndASecondForTheSameApplicationIsRefused(_ kind: StoreKind) throws {
        let store = try kind.openDatabase()
        let evidence = signature("A1")
        try store.withServicingTransaction { transaction throws in
            #expect(try transaction.signature(applicationID: "A1") == nil)
            try transaction.insert(signature: evidence)
            #expect(try transaction.signature(applicationID: "A1") == evidence)
        }
        #expect(try store.readServicing { try $0.signature(applicationID: "A1") } == evidence)
        #expect(try store.readServicing { try $0.signature(applicationID: "A2") } == nil)
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { try $0.insert(signature: signature("A1", channel: "web")) }
        }
        #expect(try store.readServicing { try $0.signature(applicationID: "A1") } == evidence)
        // A read-only snapshot stores nothing.
        #expect(throws: (any Error).self) { try store.readServicing { try $0.insert(signature: signature("A3")) } }
        #expect(try store.readServicing { try $0.signature(applicationID: "A3") } == nil)
    }

    // MARK: Approvals

    @Test(arguments: StoreKind.allCases)
    func approvalRequestsAreSavedDecidedAndListedByStatusOldestFirst(_ kind: StoreKind) throws {
        let store = try kind.openDatabase()
        #expect(try store.approvals(status: nil).isEmpty)
        let review = approval("review", "A7-1", minute: 5)
        let writeOff = approval("write_off", "L-9", minute: 1)
        // Same time as the review: ordered by id's bytes ("B" before "a").
        let upper = approval("review", "B", minute: 5)
        let lower = approval("review", "a", minute: 5)
        try store.withTransaction { transaction throws in
            #expect(try transaction.approval(requestID: review.requestID) == nil)
            try transaction.save(approval: review)
            try transaction.save(approval: lower)
            #expect(try transaction.approval(requestID: review.requestID) == review)
        }
        try store.withServicingTransaction { transaction throws in
            try transaction.save(approval: writeOff)
            try transaction.save(approval: upper)
            // One table for both sides: the review saved in a decision transaction is seen here.
            #expect(try transaction.approval(requestID: review.requestID) == review)
        }
        #expect(try store.approvals(status: nil) == [writeOff, review, upper, lower])
        #expect(try store.approvals(status: .pending) == [writeOff, review, upper, lower])

        var approved = writeOff
        approved.status = .approved
        approved.decidedBy = "checker"
        approved.decidedAt = minute(30)
        try store.withServicingTransaction { transaction throws in
            #expect(try transaction.approval(requestID: writeOff.requestID) == writeOff)
            try transaction.save(approval: approved)
        }
        var rejected = upper
        rejected.status = .rejected
        rejected.decidedBy = "checker 2"
        rejected.decidedAt = minute(31)
        try store.withTransaction { transaction throws in try transaction.save(approval: rejected) }

        #expect(try store.withTransaction { try $0.approval(requestID: writeOff.requestID) } == approved)
        #expect(try store.readServicing { try $0.approval(requestID: "write_off:L-9") } == approved)
        #expect(try store.readServicing { try $0.approval(requestID: "write_off:L-0") } == nil)
        #expect(try store.approvals(status: .approved) == [approved])
        #expect(try store.approvals(status: .rejected) == [rejected])
        #expect(try store.approvals(status: .pending) == [review, lower])
        #expect(try store.approvals(status: nil) == [approved, review, rejected, lower])
        // A read-only snapshot stores nothing.
        #expect(throws: (any Error).self) { try store.readServicing { try $0.save(approval: approval("write_off", "L-10", minute: 2)) } }
        #expect(try store.approvals(status: nil).count == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func aRolledBackTransactionLeavesNoApprovalOrSignature(_ kind: StoreKind) throws {
        let store = try kind.openDatabase()
        #expect(throws: Refused.self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(signature: signature("A1"))
                try transaction.save(approval: approval("write_off", "L-1", minute: 1))
                throw Refused()
            }
        }
        #expect(throws: Refused.self) {
            try store.withTransaction { transaction throws in
                try transaction.save(approval: approval("review", "A1", minute: 2))
                throw Refused()
            }
        }
        #expect(try store.readServicing { try $0.signature(applicationID: "A1") } == nil)
        #expect(try store.readServicing { try $0.approval(requestID: "write_off:L-1") } == nil)
        #expect(try store.withTransaction { try $0.approval(requestID: "review:A1") } == nil)
        #expect(try store.approvals(status: nil).isEmpty)
        // A decision rolled back after a request was decided leaves the request as it was.
        let pending = approval("review", "A2", minute: 3)
        try store.withTransaction { try $0.save(approval: pending) }
        #expect(throws: Refused.self) {
            try store.withTransaction { transaction throws in
                var decided = pending
                decided.status = .approved
                decided.decidedBy = "checker"
                decided.decidedAt = minute(4)
                try transaction.save(approval: decided)
                throw Refused()
            }
        }
        #expect(try store.approvals(status: nil) == [pending])
        // Nothing else was appended in their place either.
        try store.withServicingTransaction { try $0.insert(signature: signature("A1")) }
        #expect(try store.readServicing { try $0.signature(applicationID: "A1") } == signature("A1"))
    }
}

// MARK: Fixtures

extension StoreKind {
    /// ``open()`` as the whole ``LendingDatabase`` (which every adapter is).
    func openDatabase() throws -> any LendingDatabase {
        try #require(try open() as? any LendingDatabase)
    }
}

private func audit(_ action: String, target: String = "", minute at: Int64 = 1, channel: String = "cli", outcome: String = "ok",
                   detail: String = "", sequence: Int64 = 0) -> AuditRecord {
    AuditRecord(sequence: sequence, at: minute(at), actor: channel == "http" ? "key:partner-7" : "ops.li", channel: channel, action: action,
                target: target, requestID: "req-\(at)", outcome: outcome, detail: detail)
}

private func signature(_ applicationID: String, channel: String = "app") -> SignatureEvidence {
    SignatureEvidence(applicationID: applicationID, acceptedAt: minute(10), channel: channel,
                      shownTextHash: (0..<32).map { UInt8($0 * 7 % 256) }, sealedDetails: [0, 1, 0, 255, 128, 0] + Array("sealed".utf8),
                      recordedBy: "key:partner-7", recordedAt: minute(11))
}

private func approval(_ kind: String, _ target: String, minute at: Int64) -> ApprovalRequest {
    ApprovalRequest(requestID: "\(kind):\(target)", kind: kind, target: target,
                    payload: kind == "review" ? #"{"verdict":"approve","limit":800000}"# : #"{"reason":"fraud"}"#,
                    requestedBy: "maker", requestedAt: minute(at))
}
