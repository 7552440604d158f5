import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import Logging
import LendingStorePorts

/// The review queue's desk: a person's decisions on applications sent to review.
public struct ReviewDesk: Sendable {
    public let policy: LendingPolicy

    public init(policy: LendingPolicy) { self.policy = policy }

    /// What a reviewer's verdict did.
    public enum Outcome: Sendable, Equatable {
        /// The decision, appended to the chain.
        case decided(DecisionRecord)
        /// An approval above ``ReviewRules/secondApprovalAbove``: recorded as a request that
        /// another reviewer must approve; nothing decided yet.
        case awaitingSecondApproval(ApprovalRequest)

        /// The decision, if one was made.
        public var decision: DecisionRecord? {
            if case .decided(let record) = self { return record }
            return nil
        }
    }

    /// The maker-checker request id of an application's review.
    public static func approvalID(applicationID: String) -> String { "review:\(applicationID)" }

    /// A person's verdict on an application in the review queue. An approval grants the proposed
    /// limit, capped again by the invitation as it stands now; an application whose invitation
    /// has lapsed cannot be approved. An approval of a limit above the policy's
    /// ``ReviewRules/secondApprovalAbove`` needs two people: the first is recorded as a request
    /// (``Outcome/awaitingSecondApproval(_:)``), and only a different reviewer's approval decides;
    /// a decline by anyone decides at once (and rejects a pending request). A decision is
    /// appended to the chain and closes the item.
    /// - Throws: ``ApplicationError`` when the application is not open for review
    ///   (`review.unknown`, `review.decided`), cannot be approved (`review.not_invited`,
    ///   `review.no_limit`), or the second approval comes from the first reviewer
    ///   (`review.same_reviewer`); and the store's errors.
    public func decide(applicationID: String, approve: Bool, by reviewer: String, at time: Instant,
                       in transaction: any DecisionTransaction) throws -> Outcome {
        guard let item = try transaction.review(applicationID: applicationID) else {
            throw ApplicationError(code: "review.unknown", field: "application_id", message: "application \(applicationID) is not in the review queue; see lending review list")
        }
        guard item.status == .open else {
            throw ApplicationError(code: "review.decided", field: "application_id", message: "application \(applicationID) was already decided by review")
        }
        guard let (previousHash, latest) = try transaction.existing(applicationID: applicationID) else {
            throw ApplicationError(code: "review.unknown", field: "application_id", message: "application \(applicationID) has no stored decision")
        }
        guard !reviewer.trimmingSpaces().isEmpty else {
            throw ApplicationError(code: "review.reviewer", field: "by", message: "the reviewer's name is empty; pass --by NAME")
        }
        var limit = Money.zero
        if approve {
            limit = item.proposedLimit
            let day = time.day(atOffsetSeconds: policy.utcOffsetSeconds)
            guard let stored = try transaction.application(applicationID) else {
                throw ApplicationError(code: "review.unknown", field: "application_id", message: "application \(applicationID) is not stored")
            }
            switch WhitelistCheck.check(try transaction.whitelistEntry(personKey: stored.personKey), on: day) {
            case .invited(let cap, _):
                limit = LimitRule.approvedLimit(matrixLimit: limit, preCreditLimit: cap, requested: limit, step: policy.decision.pricing.limitStep)
            case .declined(let reason):
                if policy.invitationOnly {
                    throw ApplicationError(code: "review.not_invited", field: "application_id",
                                           message: "application \(applicationID) cannot be approved: \(reason.code) on \(day); decline it")
                }
            }
            guard limit.fen > 0 else {
                throw ApplicationError(code: "review.no_limit", field: "application_id", message: "application \(applicationID) has no limit to grant; decline it")
            }
        }
        let requestID = ReviewDesk.approvalID(applicationID: applicationID)
        var pending = try transaction.approval(requestID: requestID)
        if pending?.status != .pending { pending = nil }
        if approve, limit > policy.review.secondApprovalAbove {
            guard var request = pending else {
                let request = ApprovalRequest(
                    requestID: requestID, kind: "review", target: applicationID,
                    payload: #"{"limit":"\#(limit.yuanString)","verdict":"approve"}"#, requestedBy: reviewer, requestedAt: time)
                try transaction.save(approval: request)
                return .awaitingSecondApproval(request)
            }
            guard ReviewDesk.person(request.requestedBy) != ReviewDesk.person(reviewer) else {
                throw ApplicationError(code: "review.same_reviewer", field: "by",
                                       message: "application \(applicationID) was put forward for approval by this reviewer; a second reviewer must approve it (limit above \(policy.review.secondApprovalAbove.yuanString))")
            }
            request.status = .approved
            request.decidedBy = reviewer
            request.decidedAt = time
            try transaction.save(approval: request)
        } else if var request = pending {
            request.status = approve ? .approved : .rejected
            request.decidedBy = reviewer
            request.decidedAt = time
            try transaction.save(approval: request)
        }
        let record = DecisionChain.seal(
            DecisionRecord(applicationID: applicationID, kind: .review, decidedAt: time, outcome: approve ? .approve : .decline,
                           approvedLimit: limit, proposedLimit: item.proposedLimit, apr: approve ? item.apr : .zero, score: latest.score,
                           probability: latest.probability, fraudScore: latest.fraudScore,
                           reasons: latest.reasons + [approve ? "PL_MANUAL_APPROVAL" : "PL_MANUAL_DECLINE"], inputsHash: previousHash,
                           modelVersion: latest.modelVersion, policyVersion: latest.policyVersion, decidedBy: reviewer),
            after: try transaction.chainHead())
        try transaction.append(decision: record)
        try transaction.closeReview(applicationID: applicationID)
        return .decided(record)
    }

    /// A reviewer's name as compared for maker-checker: trimmed, case folded.
    static func person(_ name: String) -> String { name.trimmingSpaces().lowercased() }
}
