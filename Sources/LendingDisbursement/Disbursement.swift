import LendingModel

/// The payout state machine: pure functions from a loan's payouts and the rail's answers to the
/// next payout state and what the caller must do. The caller (the pipeline) performs the
/// actions: it records every intent before it calls the rail, and every result after.
///
/// Rules that keep a loan from being paid twice:
/// - At most one payout of a loan is not `failed`: a new attempt is made only when every
///   earlier attempt failed for good.
/// - A payout in flight (`sent`, `unknown`) is settled only by asking the rail about its key;
///   it is sent again only when the rail says it never received it, and then with the same key,
///   which the rail executes at most once.
/// - A retry after a definite failure uses a new key (`LOAN#2`, ...), so the rail cannot
///   confuse it with the refused one.
public enum Disbursement {
    /// What to do next for a loan that is to be paid out.
    public enum NextStep: Sendable, Hashable {
        /// Already paid by this payout: nothing to do.
        case alreadyPaid(Payout)
        /// A payout is in flight: ask the rail about it before anything else.
        case inFlight(Payout)
        /// Record this new attempt as an intent (status `sent`), then send it.
        case send(Payout)
    }

    /// The next step for a loan from its payouts so far.
    /// - Parameters:
    ///   - loanID: the loan.
    ///   - amount: what is to be paid out.
    ///   - payouts: every payout of the loan (any order).
    ///   - day: the business date of a new intent.
    public static func nextStep(loanID: String, amount: Money, payouts: [Payout], on day: CalendarDay) -> NextStep {
        var lastAttempt = 0
        for payout in payouts {
            switch payout.status {
            case .paid: return .alreadyPaid(payout)
            case .sent, .unknown: return .inFlight(payout)
            case .failed: lastAttempt = max(lastAttempt, payout.attempt)
            }
        }
        return .send(Payout(loanID: loanID, attempt: lastAttempt + 1, amount: amount, status: .sent, sentOn: day))
    }

    /// What the caller must do after a transition.
    public enum Action: Sendable, Hashable {
        /// The loan is paid out: post its disbursement entry (dated the payout's `sentOn`) and
        /// activate it, in the same transaction that records the payout as paid.
        case activateLoan
        /// Refused for good: record it; a later run retries with a new attempt.
        case recordFailure
        /// Still no answer: record it as unknown and ask the rail later (`reconcile`).
        case askLater
        /// The rail never received it: send it again, with the same key.
        case resend
    }

    /// A payout's new state and the action it asks for.
    public struct Transition: Sendable, Hashable {
        public var payout: Payout
        public var action: Action

        public init(payout: Payout, action: Action) {
            self.payout = payout
            self.action = action
        }
    }

    /// The rail answered a pay call for a payout that was `sent`.
    /// - Throws: ``DisbursementError`` `disbursement.not_sent` if the payout is not `sent`.
    public static func answered(_ payout: Payout, with answer: RailAnswer, on day: CalendarDay) throws(DisbursementError) -> Transition {
        let (next, step) = try RailSteps.answered(payout, with: answer, on: day)
        return Transition(payout: next, action: action(step))
    }

    /// The rail was asked about a payout in flight; `record` is its record of the key (`nil`:
    /// the rail never received it).
    /// - Throws: ``DisbursementError`` `disbursement.not_in_flight` for a payout already final,
    ///   `disbursement.rail_mismatch` when the rail holds the key for another amount (a person
    ///   must look: nothing is changed).
    public static func reconciled(_ payout: Payout, with record: RailRecord?, on day: CalendarDay) throws(DisbursementError) -> Transition {
        let (next, step) = try RailSteps.reconciled(payout, with: record, on: day)
        return Transition(payout: next, action: action(step))
    }

    static func action(_ step: RailSteps.Step) -> Action {
        switch step {
        case .paid: .activateLoan
        case .failed: .recordFailure
        case .noAnswer: .askLater
        case .notReceived: .resend
        }
    }

    /// Checks one loan's payouts: attempts numbered 1, 2, ... without gaps, at most one paid,
    /// at most one not failed, one amount.
    /// - Returns: what is wrong, one line each (empty when the payouts hold).
    public static func audit(loanID: String, payouts: [Payout]) -> [String] {
        var problems: [String] = []
        let sorted = payouts.sorted { $0.attempt < $1.attempt }
        let paid = sorted.filter { $0.status == .paid }
        if paid.count > 1 {
            problems.append("loan \(loanID) was paid out \(paid.count) times (\(paid.map(\.key).joined(separator: ", ")))")
        }
        let live = sorted.filter { $0.status != .failed }
        if live.count > 1 {
            problems.append("loan \(loanID) has \(live.count) payouts that did not fail (\(live.map(\.key).joined(separator: ", "))); at most one may")
        }
        for (index, payout) in sorted.enumerated() where payout.attempt != index + 1 {
            problems.append("loan \(loanID) has attempt \(payout.attempt) where attempt \(index + 1) was expected")
            break
        }
        if Set(sorted.map(\.amount)).count > 1 {
            problems.append("loan \(loanID) has payouts of different amounts")
        }
        return problems
    }
}

/// Why a payout step cannot be taken, and what to do. Messages carry loan ids and keys, never
/// personal data.
public struct DisbursementError: LendingDiagnostic, Sendable, Equatable {
    /// A stable code: `disbursement.not_sent`, `disbursement.not_in_flight`, `disbursement.rail_mismatch`.
    public var code: String
    public var message: String
    public var location: SourceLocation? { nil }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
