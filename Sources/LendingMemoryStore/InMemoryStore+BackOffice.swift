import LendingModel
import LendingStorePorts

/// The back office: the audit log (appended in a short write of its own, serialised with the
/// transactions), signature evidence (servicing transactions) and maker-checker requests (both
/// kinds of transaction, one table). Like the rest of the state, what a transaction writes is
/// installed only when its body returns.
extension InMemoryStore: AuditLog, ApprovalReading {
    public func appendAudit(_ records: [AuditRecord]) throws {
        guard !records.isEmpty else { return }
        try mutate { $0.backOffice.appendAudit(records) }
    }

    public func auditRecords(after sequence: Int64, limit: Int) throws -> [AuditRecord] {
        snapshot().backOffice.auditRecords(after: sequence, limit: limit)
    }

    public func approvals(status: ApprovalRequest.Status?) throws -> [ApprovalRequest] {
        snapshot().backOffice.approvals(status: status)
    }
}

extension MemoryDecisionTransaction {
    func approval(requestID: String) throws -> ApprovalRequest? { state.backOffice.approvals[requestID] }

    func save(approval: ApprovalRequest) throws { state.backOffice.approvals[approval.requestID] = approval }
}

extension MemoryServicingTransaction {
    func approval(requestID: String) throws -> ApprovalRequest? { state.backOffice.approvals[requestID] }

    func save(approval: ApprovalRequest) throws {
        try requireWritable()
        state.backOffice.approvals[approval.requestID] = approval
    }

    func insert(signature: SignatureEvidence) throws {
        try requireWritable()
        try state.backOffice.insert(signature: signature)
    }

    func signature(applicationID: String) throws -> SignatureEvidence? { state.backOffice.signatures[applicationID] }
}
