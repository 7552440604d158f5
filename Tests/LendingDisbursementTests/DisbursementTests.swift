import LendingDisbursement
import LendingModel
import LendingTestSupport
import Testing

let day = CalendarDay(iso: "2026-11-02")!
let later = CalendarDay(iso: "2026-11-03")!
let amount = Money(fen: 500_000)

func payout(_ attempt: Int, _ status: PayoutStatus, loan: String = "L1") -> Payout {
    Payout(loanID: loan, attempt: attempt, amount: amount, status: status, sentOn: day)
}

@Suite struct PayoutStepTests {
    @Test func theFirstAttemptIsKeyedByTheLoanID() {
        #expect(Disbursement.nextStep(loanID: "L1", amount: amount, payouts: [], on: day)
                == .send(Payout(loanID: "L1", attempt: 1, amount: amount, status: .sent, sentOn: day)))
        #expect(payout(1, .sent).key == "L1")
    }

    @Test func aRetryAfterADefiniteFailureTakesTheNextAttemptAndKey() {
        guard case .send(let next) = Disbursement.nextStep(loanID: "L1", amount: amount, payouts: [payout(2, .failed), payout(1, .failed)], on: later)
        else { Issue.record("expected a new attempt"); return }
        #expect(next.attempt == 3)
        #expect(next.key == "L1#3")
        #expect(next.sentOn == later)
    }

    @Test func aPayoutInFlightMustBeAskedAboutBeforeAnythingElse() {
        #expect(Disbursement.nextStep(loanID: "L1", amount: amount, payouts: [payout(1, .failed), payout(2, .unknown)], on: day) == .inFlight(payout(2, .unknown)))
        #expect(Disbursement.nextStep(loanID: "L1", amount: amount, payouts: [payout(1, .sent)], on: day) == .inFlight(payout(1, .sent)))
    }

    @Test func aPaidLoanIsNeverSentAgain() {
        #expect(Disbursement.nextStep(loanID: "L1", amount: amount, payouts: [payout(1, .failed), payout(2, .paid)], on: day) == .alreadyPaid(payout(2, .paid)))
    }

    @Test func keysParseBackToLoanAndAttempt() {
        #expect(Payout.parse(key: "L1") == ("L1", 1))
        #expect(Payout.parse(key: "L1#2") == ("L1", 2))
        #expect(Payout.parse(key: "A#B#12") == ("A#B", 12))
        #expect(Payout.parse(key: "A#x") == ("A#x", 1))
        #expect(Payout.parse(key: "A#1") == ("A#1", 1))
    }
}

@Suite struct PayoutAnswerTests {
    @Test func aPaidAnswerActivatesTheLoan() throws {
        let transition = try Disbursement.answered(payout(1, .sent), with: .paid, on: later)
        #expect(transition.action == .activateLoan)
        #expect(transition.payout.status == .paid)
        #expect(transition.payout.settledOn == later)
        #expect(transition.payout.sentOn == day)
    }

    @Test func aRefusalIsFinalWithItsReason() throws {
        let transition = try Disbursement.answered(payout(1, .sent), with: .failed(reason: "account_closed"), on: day)
        #expect(transition.action == .recordFailure)
        #expect(transition.payout.status == .failed)
        #expect(transition.payout.reason == "account_closed")
    }

    @Test func aLostAnswerLeavesThePayoutUnknown() throws {
        let transition = try Disbursement.answered(payout(1, .sent), with: .noAnswer, on: day)
        #expect(transition.action == .askLater)
        #expect(transition.payout.status == .unknown)
        #expect(transition.payout.settledOn == nil)
    }

    @Test func onlyASentPayoutTakesAnAnswer() {
        for status in [PayoutStatus.paid, .failed, .unknown] {
            #expect(throws: DisbursementError.self) { try Disbursement.answered(payout(1, status), with: .paid, on: day) }
        }
    }

    @Test func theRailsRecordSettlesAPayoutInFlight() throws {
        let paid = RailRecord(key: "L1", amount: amount, status: .paid, at: Instant(secondsSinceEpoch: 0))
        let settled = try Disbursement.reconciled(payout(1, .unknown), with: paid, on: later)
        #expect(settled.action == .activateLoan)
        #expect(settled.payout.status == .paid && settled.payout.settledOn == later)
        let refused = RailRecord(key: "L1", amount: amount, status: .failed, at: Instant(secondsSinceEpoch: 0), reason: "limit")
        let failed = try Disbursement.reconciled(payout(1, .sent), with: refused, on: later)
        #expect(failed.action == .recordFailure)
        #expect(failed.payout.status == .failed && failed.payout.reason == "limit")
    }

    @Test func aKeyTheRailNeverReceivedIsSentAgainWithTheSameKey() throws {
        let transition = try Disbursement.reconciled(payout(2, .unknown), with: nil, on: later)
        #expect(transition.action == .resend)
        #expect(transition.payout.status == .sent)
        #expect(transition.payout.key == "L1#2")
    }

    @Test func aRailRecordForAnotherAmountStopsReconciliation() {
        let other = RailRecord(key: "L1", amount: Money(fen: 1), status: .paid, at: Instant(secondsSinceEpoch: 0))
        #expect(throws: DisbursementError.self) { try Disbursement.reconciled(payout(1, .sent), with: other, on: day) }
        #expect(throws: DisbursementError.self) { try Disbursement.reconciled(payout(1, .paid), with: nil, on: day) }
    }
}

@Suite struct PayoutAuditTests {
    @Test func wellFormedPayoutsPass() {
        #expect(Disbursement.audit(loanID: "L1", payouts: [payout(2, .paid), payout(1, .failed)]).isEmpty)
    }

    @Test func aLoanPaidTwiceIsReported() {
        let problems = Disbursement.audit(loanID: "L1", payouts: [payout(1, .paid), payout(2, .paid)])
        #expect(problems.first == "loan L1 was paid out 2 times (L1, L1#2)")
        #expect(problems.count == 2)
    }

    @Test func aMissingAttemptIsReported() {
        #expect(Disbursement.audit(loanID: "L1", payouts: [payout(1, .failed), payout(3, .sent)])
                == ["loan L1 has attempt 3 where attempt 2 was expected"])
    }
}

/// A rail in memory that executes each key once, refuses some and loses some answers.
final class MemoryRail: @unchecked Sendable, PaymentRail { // the jobs call a rail from one thread at a time
    var records: [String: RailRecord] = [:]
    var generator: SplitMix64
    let failRate: Double
    let lossRate: Double
    var executed = 0

    init(seed: UInt64, failRate: Double, lossRate: Double) {
        generator = SplitMix64(seed: seed)
        self.failRate = failRate
        self.lossRate = lossRate
    }

    func pay(_ requests: [PayoutRequest]) throws -> [RailAnswer] {
        requests.map { request in
            if let known = records[request.key] { return known.status == .paid ? .paid : .failed(reason: known.reason ?? "") }
            let refused = Double.random(in: 0..<1, using: &generator) < failRate
            records[request.key] = RailRecord(key: request.key, amount: request.amount, status: refused ? .failed : .paid,
                                              at: Instant(secondsSinceEpoch: 0), reason: refused ? "refused" : nil)
            if !refused { executed += 1 }
            if Double.random(in: 0..<1, using: &generator) < lossRate { return .noAnswer }
            return refused ? .failed(reason: "refused") : .paid
        }
    }

    func records(keys: [String]) throws -> [String: RailRecord] {
        var found: [String: RailRecord] = [:]
        for key in keys { if let record = records[key] { found[key] = record } }
        return found
    }
}

@Suite struct PayoutProtocolTests {
    /// Runs of the protocol interrupted at random steps (a crash loses what was not yet
    /// recorded), restarted until every loan is paid: no loan is ever paid twice by the rail,
    /// and in the end the lender's records agree with the rail's.
    @Test func interruptedRunsNeverPayALoanTwice() throws {
        for seed in UInt64(1)...200 {
            var random = SplitMix64(seed: seed &* 7919)
            let rail = MemoryRail(seed: seed, failRate: 0.2, lossRate: 0.2)
            let loans = (0..<20).map { "L\($0)" }
            var stored: [String: [Payout]] = [:]
            /// One run of `disburse` that stops dead (a crash) before its `crashAt`-th step.
            func run(crashAt: Int) throws {
                var steps = 0
                func step() -> Bool { steps += 1; return steps < crashAt }
                // 1. Ask about everything in flight.
                var resend: [Payout] = []
                for loan in loans {
                    for payout in stored[loan] ?? [] where !payout.status.isFinal {
                        guard step() else { return }
                        let transition = try Disbursement.reconciled(payout, with: try rail.records(keys: [payout.key])[payout.key], on: day)
                        stored[loan] = (stored[loan] ?? []).map { $0.attempt == payout.attempt ? transition.payout : $0 }
                        if transition.action == .resend { resend.append(transition.payout) }
                    }
                }
                // 2. New attempts: intents first, then the call, then the results.
                var batch = resend
                for loan in loans {
                    if case .send(let next) = Disbursement.nextStep(loanID: loan, amount: amount, payouts: stored[loan] ?? [], on: day) {
                        batch.append(next)
                    }
                }
                guard step() else { return }
                for payout in batch where !(stored[payout.loanID] ?? []).contains(where: { $0.attempt == payout.attempt }) {
                    stored[payout.loanID, default: []].append(payout)
                }
                guard step() else { return }
                let answers = try rail.pay(batch.map { PayoutRequest(key: $0.key, amount: $0.amount, account: "card") })
                guard step() else { return }
                for (payout, answer) in zip(batch, answers) {
                    let transition = try Disbursement.answered(payout, with: answer, on: day)
                    stored[payout.loanID] = stored[payout.loanID]!.map { $0.attempt == payout.attempt ? transition.payout : $0 }
                }
            }
            for index in 0..<60 { try run(crashAt: index < 40 ? Int.random(in: 0..<60, using: &random) : Int.max) }
            var paidKeys: [String: Int] = [:]
            for record in rail.records.values where record.status == .paid { paidKeys[Payout.parse(key: record.key).loanID, default: 0] += 1 }
            #expect(paidKeys.values.allSatisfy { $0 == 1 }, "seed \(seed)")
            #expect(paidKeys.count == loans.count, "seed \(seed): \(paidKeys.count) of \(loans.count) paid")
            #expect(rail.executed == loans.count)
            for loan in loans {
                #expect(Disbursement.audit(loanID: loan, payouts: stored[loan] ?? []).isEmpty)
                #expect((stored[loan] ?? []).filter { $0.status == .paid }.count == 1, "seed \(seed) loan \(loan)")
            }
        }
    }
}
