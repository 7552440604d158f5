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

    /// A person's decision on an application in the review queue: appended to the chain, the
    /// item closed. An approval grants the proposed limit, capped again by the invitation as it
    /// stands now; an application whose invitation has lapsed cannot be approved.
    /// - Throws: ``ApplicationError`` when the application is not open for review or cannot be
    ///   approved, and the store's errors.
    public func decide(applicationID: String, approve: Bool, by reviewer: String, at time: Instant,
                             in transaction: any DecisionTransaction) throws -> DecisionRecord {
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
        let record = DecisionChain.seal(
            DecisionRecord(applicationID: applicationID, kind: .review, decidedAt: time, outcome: approve ? .approve : .decline,
                           approvedLimit: limit, proposedLimit: item.proposedLimit, apr: approve ? item.apr : .zero, score: latest.score,
                           probability: latest.probability, fraudScore: latest.fraudScore,
                           reasons: latest.reasons + [approve ? "PL_MANUAL_APPROVAL" : "PL_MANUAL_DECLINE"], inputsHash: previousHash,
                           modelVersion: latest.modelVersion, policyVersion: latest.policyVersion, decidedBy: reviewer),
            after: try transaction.chainHead())
        try transaction.append(decision: record)
        try transaction.closeReview(applicationID: applicationID)
        return record
    }
}
