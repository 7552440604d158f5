import LendingModel

/// One entry of the audit log: who did what, when, through which channel, under which request,
/// and how it ended. Written for every write of the CLI, the HTTP service and the demo, refusals
/// included; never holds personal data (targets are record ids, never ID numbers or names).
public struct AuditRecord: Sendable, Equatable {
    /// The store's sequence number, from 1, in append order; 0 before the record is appended.
    public var sequence: Int64
    /// When it happened (the injected clock of the process that did it).
    public var at: Instant
    /// The operator: a CLI operator name (`--operator`, `LENDING_OPERATOR`) or an API key's name.
    public var actor: String
    /// `cli`, `http` or `demo`.
    public var channel: String
    /// What was done: a command (`review.decide`, `sign`, `repay`) or a route (`POST /v1/loans/{id}/repayments`).
    public var action: String
    /// The record it was done to (an application, loan or approval id), or empty for a batch.
    public var target: String
    /// The request's id (an HTTP request id, or a CLI run's id).
    public var requestID: String
    /// `ok`, or the refusal (`422 loan.over_limit`, `failed agreement.terms`).
    public var outcome: String
    /// A short description without personal data (rows in a file, an amount).
    public var detail: String

    public init(sequence: Int64 = 0, at: Instant, actor: String, channel: String, action: String, target: String = "",
                requestID: String, outcome: String, detail: String = "") {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.channel = channel
        self.action = action
        self.target = target
        self.requestID = requestID
        self.outcome = outcome
        self.detail = detail
    }
}

/// The append-only audit log. Every adapter refuses to change or remove an entry (SQLite and
/// PostgreSQL with triggers).
///
/// An append is a short transaction of its own that never waits for the application path's or
/// servicing's writers (on PostgreSQL it takes the audit log's own advisory lock, so appends commit
/// in the order of their numbers). There, a failed append can leave a gap in the numbers; in
/// memory and on SQLite the numbers have no gaps.
public protocol AuditLog: Sendable {
    /// Appends `records` in a transaction of their own, numbered in order after every earlier one
    /// (their ``AuditRecord/sequence`` is ignored); appending none does nothing.
    /// - Throws: the store's errors (nothing is appended).
    func appendAudit(_ records: [AuditRecord]) throws
    /// The records numbered after `sequence`, in sequence order, `limit` at most (none when
    /// `limit` is not positive): page on with the last one's sequence.
    func auditRecords(after sequence: Int64, limit: Int) throws -> [AuditRecord]
}

/// The applicant's acceptance of an agreement, as the channel that showed it reports it.
public struct SignatureEvidence: Sendable, Equatable {
    public var applicationID: String
    /// When the applicant accepted (as given by the channel).
    public var acceptedAt: Instant
    /// The channel it was accepted on (`app`, `web`, `branch`, ...).
    public var channel: String
    /// SHA-256 of the agreement text shown to the applicant (checked against the text stored).
    public var shownTextHash: [UInt8]
    /// The IP address and device id as given, sealed with the personal-data key (JSON inside).
    public var sealedDetails: [UInt8]
    /// Who recorded it: the operator or API key that submitted the acceptance.
    public var recordedBy: String
    /// When it was recorded (the service's clock).
    public var recordedAt: Instant

    public init(applicationID: String, acceptedAt: Instant, channel: String, shownTextHash: [UInt8], sealedDetails: [UInt8],
                recordedBy: String, recordedAt: Instant) {
        self.applicationID = applicationID
        self.acceptedAt = acceptedAt
        self.channel = channel
        self.shownTextHash = shownTextHash
        self.sealedDetails = sealedDetails
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// Where signature evidence is kept: in the servicing transaction that stores the agreement.
/// Evidence is append-only (SQLite and PostgreSQL refuse to change or remove it with triggers).
public protocol SignatureRecording {
    /// Stores the evidence of an agreement being signed (one per application).
    /// - Throws: the store's errors, also when the application already has evidence, or in a
    ///   read-only snapshot (then the transaction rolls back).
    func insert(signature: SignatureEvidence) throws
    /// The evidence stored for an application, if any.
    func signature(applicationID: String) throws -> SignatureEvidence?
}

/// A request that a second person must approve (maker-checker): a review approval above the
/// policy's limit, a manual write-off. The one who asks can never approve.
public struct ApprovalRequest: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case pending, approved, rejected }

    /// `KIND:TARGET`, such as `review:A7-1` or `write_off:L-9` (one open request per target and kind).
    public var requestID: String
    /// `review` or `write_off`.
    public var kind: String
    /// The application or loan it is about.
    public var target: String
    /// What is to be done, as JSON (for a review: the verdict and limit; for a write-off: the reason).
    public var payload: String
    public var requestedBy: String
    public var requestedAt: Instant
    public var status: Status
    /// The checker, once approved or rejected.
    public var decidedBy: String?
    public var decidedAt: Instant?

    public init(requestID: String, kind: String, target: String, payload: String, requestedBy: String, requestedAt: Instant,
                status: Status = .pending, decidedBy: String? = nil, decidedAt: Instant? = nil) {
        self.requestID = requestID
        self.kind = kind
        self.target = target
        self.payload = payload
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// Maker-checker requests, inside a write transaction of either side (decisions or servicing):
/// one table for both, so a request saved in one is read in the other once committed. A request
/// is never removed (SQLite and PostgreSQL refuse deletes with triggers); its status changes.
public protocol ApprovalRecording {
    /// The request with this id, if any.
    func approval(requestID: String) throws -> ApprovalRequest?
    /// Stores a new request, or replaces a stored one with the same id (its decision recorded).
    /// - Throws: the store's errors, also in a read-only snapshot (then the transaction rolls back).
    func save(approval: ApprovalRequest) throws
}

/// Maker-checker requests as the back office lists them (on a read snapshot).
public protocol ApprovalReading: Sendable {
    /// Every request with this status (all when `nil`), oldest first: by ``ApprovalRequest/requestedAt``,
    /// then by request id (in the bytes' order).
    func approvals(status: ApprovalRequest.Status?) throws -> [ApprovalRequest]
}
