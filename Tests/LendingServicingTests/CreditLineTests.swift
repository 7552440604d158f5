import LendingLedger
import LendingModel
import LendingServicing
import Testing

@Suite struct CreditLineTests {
    let terms = ProductTerms(kind: .revolving, method: .equalPrincipal, apr: rate("0.1825"))
    let line = CreditLine(lineID: "LINE1", limit: fen(2_000_000), apr: rate("0.2400"))

    @Test func aDrawOpensALoanAtTheLinesRateAndLowersTheAvailableAmount() throws {
        let outcome = try line.draw(CreditLine.DrawRequest(drawID: "D1", amount: fen(500_000), months: 6, date: date("2026-03-01")), terms: terms)
        guard case let .drawn(drawnLine, disbursement) = outcome else {
            Issue.record("draw refused: \(outcome)")
            return
        }
        #expect(drawnLine.available == fen(1_500_000))
        #expect(disbursement.state.loanID == "D1" && disbursement.state.lineID == "LINE1")
        #expect(disbursement.state.apr == rate("0.24"))
        #expect(disbursement.state.installments.count == 6)
        #expect(disbursement.state.installments.dropLast().allSatisfy { $0.principalDue == fen(83_333) })
        #expect(disbursement.entry.postings == [.debit(AccountID(loan: "D1", .principalReceivable), fen(500_000)), .credit(.fundingCash, fen(500_000))])
    }

    @Test func refusesADrawOverTheAvailableAmountOrOnAFrozenLine() throws {
        var line = self.line
        line.drawnPrincipal = fen(1_900_000)
        let over = try line.draw(CreditLine.DrawRequest(drawID: "D2", amount: fen(100_001), months: 3, date: date("2026-03-01")), terms: terms)
        #expect(over == .refused(.overAvailable(requested: fen(100_001), available: fen(100_000))))
        let exact = try line.draw(CreditLine.DrawRequest(drawID: "D2", amount: fen(100_000), months: 3, date: date("2026-03-01")), terms: terms)
        if case let .drawn(after, _) = exact { #expect(after.available == .zero) } else { Issue.record("exact draw refused") }
        line.freeze()
        let frozen = try line.draw(CreditLine.DrawRequest(drawID: "D3", amount: fen(1), months: 3, date: date("2026-03-01")), terms: terms)
        #expect(frozen == .refused(.frozen))
        #expect(CreditLine.Refusal.frozen.code == "frozen")
        #expect(throws: ServicingError.self) {
            try self.line.draw(CreditLine.DrawRequest(drawID: "D4", amount: .zero, months: 3, date: date("2026-03-01")), terms: terms)
        }
    }

    @Test func principalRepaidOnADrawRestoresTheAvailableAmount() throws {
        guard case let .drawn(drawnLine, disbursement) = try line.draw(
            CreditLine.DrawRequest(drawID: "D1", amount: fen(600_000), months: 3, date: date("2026-03-01")), terms: terms)
        else { Issue.record("refused"); return }
        var current = drawnLine
        let due = disbursement.state.installments[0]
        let payment = try Servicing.repay(disbursement.state, payment: Payment(id: "P1", loanID: "D1", date: due.dueDate, amount: due.amountDue),
                                          terms: terms)
        #expect(payment.principalRepaid == fen(200_000))
        current.restore(principalRepaid: payment.principalRepaid)
        #expect(current.available == fen(1_600_000))
    }

    @Test func aReducedLimitBelowTheDrawnAmountLeavesNothingAvailable() throws {
        var line = self.line
        line.drawnPrincipal = fen(1_500_000)
        try line.reduceLimit(to: fen(1_000_000))
        #expect(line.available == .zero)
        #expect(throws: ServicingError.self) { try line.reduceLimit(to: fen(3_000_000)) }
        #expect(throws: ServicingError.self) { try line.reduceLimit(to: fen(-1)) }
        line.restore(principalRepaid: fen(600_000))
        #expect(line.available == fen(100_000))
    }
}
