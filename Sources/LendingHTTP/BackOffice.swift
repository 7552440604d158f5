import Dispatch
import LendingApplications
import LendingCollections
import LendingDisbursement
import LendingLoanBook
import LendingModel
import LendingPostLoan
import LendingServicing
import LendingStorePorts

/// The back office of `lending serve`: the review queue and maker-checker approvals, signing,
/// payouts, end-of-day status, the collections work queue and outcomes, detail exports and the
/// audit log, over the database's ports and the stages' jobs (the same jobs as the CLI's).
///
/// Each call is one transaction (or one snapshot), run on a dispatch thread so that a commit
/// never blocks the server's event loops.
public struct BackOffice: Sendable {
    public let database: any LendingDatabase
    public let policy: LendingPolicy
    public let products: ProductCatalog
    public let protector: PersonalDataProtector
    /// The collections strategy whose contact rules recorded outcomes must keep.
    public let strategy: CollectionStrategy

    public init(database: any LendingDatabase, policy: LendingPolicy, products: ProductCatalog, protector: PersonalDataProtector,
                strategy: CollectionStrategy = .standard) {
        self.database = database
        self.policy = policy
        self.products = products
        self.protector = protector
        self.strategy = strategy
    }

    /// Runs blocking store work off the cooperative threads.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    // MARK: Review

    /// The open review items, oldest first, with the pending approval of each, if any.
    public func reviews() async throws -> [(ReviewItem, ApprovalRequest?)] {
        let database = database
        return try await run {
            let pending = Dictionary(try database.approvals(status: .pending).filter { $0.kind == "review" }.map { ($0.target, $0) },
                                     uniquingKeysWith: { first, _ in first })
            return try database.openReviews().map { ($0, pending[$0.applicationID]) }
        }
    }

    /// A reviewer's verdict (maker-checker above the policy's limit; see ``ReviewDesk``).
    public func decideReview(applicationID: String, approve: Bool, by reviewer: String, at time: Instant) async throws -> ReviewDesk.Outcome {
        let database = database, policy = policy
        return try await run {
            try database.withTransaction { transaction in
                try ReviewDesk(policy: policy).decide(applicationID: applicationID, approve: approve, by: reviewer, at: time, in: transaction)
            }
        }
    }

    /// Asks for a loan's write-off (a second person approves it: ``decideApproval(requestID:approve:by:at:)``).
    public func requestWriteOff(loanID: String, reason: String, by maker: String, at time: Instant) async throws -> ApprovalRequest {
        let database = database, products = products
        return try await run {
            try database.withCollectionsTransaction { transaction in
                try WriteOffDesk(products: products).request(loanID: loanID, reason: reason, by: maker, at: time, in: transaction)
            }
        }
    }

    /// Asks for a payment's reversal (a second person approves it: ``decideApproval(requestID:approve:by:at:)``).
    public func requestReversal(paymentID: String, reason: String, by maker: String, at time: Instant) async throws -> ApprovalRequest {
        let database = database, products = products
        return try await run {
            try database.withServicingTransaction { transaction in
                try ReversalDesk(products: products).request(paymentID: paymentID, reason: reason, by: maker, at: time, in: transaction)
            }
        }
    }

    /// Asks for a loan's restructuring (a second person approves it).
    public func requestRestructuring(loanID: String, change: Restructuring, reason: String, by maker: String, at time: Instant) async throws -> ApprovalRequest {
        let database = database, products = products
        return try await run {
            try database.withServicingTransaction { transaction in
                try RestructuringDesk(products: products).request(loanID: loanID, change: change, reason: reason, by: maker, at: time, in: transaction)
            }
        }
    }

    /// Asks for a refund of what a loan holds for its borrower (all of it when `amount` is `nil`;
    /// a second person approves it).
    public func requestRefund(loanID: String, amount: Money?, reason: String, by maker: String, at time: Instant) async throws -> ApprovalRequest {
        let database = database, products = products
        return try await run {
            try database.withServicingTransaction { transaction in
                try RefundDesk(products: products).request(loanID: loanID, amount: amount, reason: reason, by: maker, at: time, in: transaction)
            }
        }
    }

    /// Puts cash that belongs to no known loan in suspense (the same receipt again changes nothing).
    public func receiveIntoSuspense(receiptID: String, on day: CalendarDay, amount: Money) async throws -> SuspenseDesk.ReceiveOutcome {
        let database = database, products = products
        return try await run {
            try database.withServicingTransaction { transaction in
                try SuspenseDesk(products: products).receive(receiptID: receiptID, on: day, amount: amount, in: transaction)
            }
        }
    }

    /// Asks to move a receipt out of suspense to a loan (a second person approves it).
    public func requestSuspenseMove(receiptID: String, loanID: String, reason: String, by maker: String, at time: Instant) async throws -> ApprovalRequest {
        let database = database, products = products
        return try await run {
            try database.withServicingTransaction { transaction in
                try SuspenseDesk(products: products).request(receiptID: receiptID, loanID: loanID, reason: reason, by: maker, at: time, in: transaction)
            }
        }
    }

    /// What a checker's verdict on a maker-checker request did.
    public enum ApprovalOutcome: Sendable {
        case review(ReviewDesk.Outcome)
        case writeOff(ApprovalRequest)
        case reversal(ApprovalRequest)
        case restructuring(ApprovalRequest)
        case refund(ApprovalRequest)
        case suspense(ApprovalRequest)
    }

    /// A checker's verdict on a request: a review's (approve, or reject: decline the application),
    /// a write-off's (approve: the loan is written off; reject), a reversal's (approve: the
    /// payment is reversed, the loan rebuilt without it; reject), a restructuring's or a refund's
    /// (approve: the money leaves the loan, to be paid by `lending refunds pay`; reject), a move
    /// out of suspense (approve: the receipt is applied to its loan as a payment; reject).
    /// - Throws: ``HTTPServiceError`` 404 for an unknown request; the desks' refusals; the store's errors.
    public func decideApproval(requestID: String, approve: Bool, by checker: String, at time: Instant) async throws -> ApprovalOutcome {
        let database = database, products = products, policy = policy
        return try await run {
            let kind = requestID.prefix { $0 != ":" }
            let target = String(requestID.dropFirst(kind.count + 1))
            // The business date of a refund or a move out of suspense: the day of the verdict in the policy's time zone.
            let day = time.day(atOffsetSeconds: Int64(policy.utcOffsetSeconds))
            /// A servicing desk's verdict in one servicing transaction, 404 for a request never asked.
            func servicing(_ decide: (any ServicingTransaction) throws -> ApprovalRequest) throws -> ApprovalRequest {
                try database.withServicingTransaction { transaction in
                    guard try transaction.approval(requestID: requestID) != nil else { throw HTTPServiceError.notFound("no request \(requestID)") }
                    return try decide(transaction)
                }
            }
            switch kind {
            case "review":
                return .review(try database.withTransaction { transaction in
                    guard try transaction.approval(requestID: requestID) != nil else { throw HTTPServiceError.notFound("no request \(requestID)") }
                    return try ReviewDesk(policy: policy).decide(applicationID: target, approve: approve, by: checker, at: time, in: transaction)
                })
            case "write_off":
                return .writeOff(try database.withCollectionsTransaction { transaction in
                    guard try transaction.approval(requestID: requestID) != nil else { throw HTTPServiceError.notFound("no request \(requestID)") }
                    let desk = WriteOffDesk(products: products)
                    if approve { return try desk.approve(loanID: target, by: checker, at: time, in: transaction).0 }
                    return try desk.reject(loanID: target, by: checker, at: time, in: transaction)
                })
            case "reversal":
                let desk = ReversalDesk(products: products)
                return .reversal(try servicing {
                    approve ? try desk.approve(paymentID: target, by: checker, at: time, in: $0).request
                        : try desk.reject(paymentID: target, by: checker, at: time, in: $0)
                })
            case "restructure":
                let desk = RestructuringDesk(products: products)
                return .restructuring(try servicing {
                    approve ? try desk.approve(requestID: requestID, by: checker, at: time, in: $0).0 : try desk.reject(requestID: requestID, by: checker, at: time, in: $0)
                })
            case "refund":
                let desk = RefundDesk(products: products)
                return .refund(try servicing {
                    approve ? try desk.approve(requestID: requestID, by: checker, at: time, on: day, in: $0).0
                        : try desk.reject(requestID: requestID, by: checker, at: time, in: $0)
                })
            case "suspense":
                let desk = SuspenseDesk(products: products)
                return .suspense(try servicing {
                    approve ? try desk.approve(requestID: requestID, by: checker, at: time, on: day, in: $0).0
                        : try desk.reject(requestID: requestID, by: checker, at: time, in: $0)
                })
            default:
                throw HTTPServiceError.notFound("no request \(requestID); ids are review:APPLICATION, write_off:LOAN, reversal:PAYMENT, restructure:LOAN:N, refund:LOAN:N or suspense:RECEIPT:N")
            }
        }
    }

    /// Maker-checker requests with this status (all when `nil`).
    public func approvals(status: ApprovalRequest.Status?) async throws -> [ApprovalRequest] {
        let database = database
        return try await run { try database.approvals(status: status) }
    }

    // MARK: Signing

    var signing: SigningJob { SigningJob(products: products, protector: protector, utcOffsetSeconds: policy.utcOffsetSeconds) }

    public func agreement(applicationID: String) async throws -> SigningJob.Shown {
        let database = database, signing = signing
        return try await run { try signing.agreement(applicationID: applicationID, store: database) }
    }

    public func sign(applicationID: String, acceptance: SigningJob.Acceptance, by caller: String, at time: Instant) async throws -> SigningJob.Signed {
        let database = database, signing = signing
        return try await run {
            try signing.sign(applicationID: applicationID, acceptance: acceptance, recordedBy: caller, recordedAt: time, store: database)
        }
    }

    // MARK: Servicing

    /// A loan's payout attempts, oldest first; `nil` for an unknown loan.
    public func payouts(loanID: String) async throws -> [Payout]? {
        let database = database
        return try await run {
            try database.readServicing { transaction in
                guard try transaction.loans([loanID])[loanID] != nil else { return nil }
                return (try transaction.payouts(loanIDs: [loanID])[loanID] ?? []).sorted { $0.attempt < $1.attempt }
            }
        }
    }

    /// Where end of day stands for `day`.
    public func endOfDay(asOf day: CalendarDay) async throws -> EndOfDayStatus {
        let database = database
        return try await run { try EndOfDayStatus.read(asOf: day, store: database) }
    }

    // MARK: Collections

    /// The actions planned for `day`'s contact hours, checked again against the contact rules as
    /// the store knows them now (`lending collections plan` does the same): a call a conversation
    /// recorded since, the person's cap or an opt-out now forbids is cancelled, with why, and left
    /// out. `nil` when the day before has not closed.
    public func collectionsQueue(day: CalendarDay) async throws -> [PlannedAction]? {
        let database = database, strategy = strategy
        return try await run { try CollectionsPlanJob(day: day, strategy: strategy).run(store: database)?.actions }
    }

    /// Records a contact's outcome (idempotent per loan, action and time).
    public func record(outcome: ContactOutcome, optOut: String?) async throws -> OutcomeRecorder.Outcome {
        let database = database
        // Contact hours are the borrowers' local time: the policy's offset, as `collections record` takes it.
        let recorder = OutcomeRecorder(strategy: strategy, utcOffsetSeconds: Int(policy.utcOffsetSeconds))
        return try await run {
            try database.withCollectionsTransaction { transaction in try recorder.record(outcome, optOut: optOut, in: transaction) }
        }
    }

    // MARK: Exports and audit

    /// A detail export as CSV bytes.
    public func export(_ kind: DetailExport.Kind, personalData: Bool) async throws -> [UInt8] {
        let database = database, protector = protector, products = products
        return try await run {
            var bytes: [UInt8] = []
            try DetailExport(kind: kind, personalData: personalData, products: products).write(store: database, protector: protector) { bytes += $0 }
            return bytes
        }
    }

    public func audit(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        let database = database
        return try await run { try database.auditRecords(after: sequence, limit: limit) }
    }
}
