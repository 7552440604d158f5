import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingModel
import Synchronization
import Testing

/// A loan book in memory: one revolving line `LINE-1` with a limit of 10 000.00, draws make
/// 12-month loans at 18%, repayments go to principal.
final class FakeLoanService: LoanService {
    let loans = Mutex<[String: LoanView]>([:])
    let draws = Mutex(0)
    let lineLimit = Money(fen: 1_000_000)

    func draw(_ request: DrawRequest) async throws -> DrawResult {
        guard request.lineID == "LINE-1" else { throw LoanServiceError(.notFound, code: "loan.no_line", message: "no line \(request.lineID)") }
        return try loans.withLock { loans in
            if let existing = loans[request.drawID] {
                guard existing.principal == request.amount else {
                    throw LoanServiceError(.conflict, code: "loan.draw_conflict", message: "draw \(request.drawID) exists with another amount")
                }
                return DrawResult(loan: existing, replayed: true)
            }
            let used = loans.values.reduce(Money.zero) { $0 + $1.outstandingPrincipal }
            guard used + request.amount <= lineLimit else {
                throw LoanServiceError(.ruleViolation, code: "loan.over_limit", message: "the draw is over the line's available limit")
            }
            draws.withLock { $0 += 1 }
            let start = CalendarDay(iso: "2026-11-01")!
            let view = LoanView(
                loanID: request.drawID, lineID: request.lineID, product: "revolving", status: "active", principal: request.amount, termMonths: 1,
                apr: AnnualRate(partsPerMillion: 180_000), signedOn: start, disbursedOn: start, processedThrough: start,
                outstandingPrincipal: request.amount, interestReceivable: .zero, penaltyReceivable: .zero, overpayment: .zero, daysPastDue: 0,
                bucket: "current", payoffAmount: request.amount,
                schedule: [InstallmentView(number: 1, dueDate: CalendarDay(iso: "2026-12-01")!, principalDue: request.amount, interestDue: Money(fen: 1_500))])
            loans[request.drawID] = view
            return DrawResult(loan: view)
        }
    }

    func repay(_ request: RepaymentRequest) async throws -> RepaymentView {
        try loans.withLock { loans in
            guard var loan = loans[request.loanID] else { throw LoanServiceError(.notFound, code: "loan.unknown", message: "no loan \(request.loanID)") }
            guard loan.status == "active" else { throw LoanServiceError(.ruleViolation, code: "loan.closed", message: "the loan is closed") }
            let toPrincipal = min(request.amount, loan.outstandingPrincipal)
            loan.outstandingPrincipal -= toPrincipal
            loan.overpayment += request.amount - toPrincipal
            if loan.outstandingPrincipal == .zero { loan.status = "closed" }
            loans[request.loanID] = loan
            return RepaymentView(paymentID: request.paymentID, loanID: request.loanID, amount: request.amount, toPenalty: .zero, toInterest: .zero,
                                 toPrincipal: toPrincipal, toOverpayment: request.amount - toPrincipal, loan: loan)
        }
    }

    func loan(id: String) async throws -> LoanView? { loans.withLock { $0[id] } }
}

@Suite struct LoanRouteTests {
    func drawBody(_ id: String, _ amount: String = "3000.00", term: Int = 12) -> ByteBuffer {
        json(["draw_id": id, "amount": amount, "term_months": term])
    }

    @Test func aDrawMakesALoanShownWithScheduleAndBalances() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "d1"), body: drawBody("D-1")) { response in
                #expect(response.status == .created)
                let loan = object(response.body)
                #expect(loan["loan_id"] as? String == "D-1")
                #expect(loan["line_id"] as? String == "LINE-1")
                #expect(loan["principal"] as? String == "3000.00")
                #expect(loan["apr"] as? String == "0.18")
            }
            try await client.execute(uri: "/v1/loans/D-1", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                let loan = object(response.body)
                #expect(loan["days_past_due"] as? Int == 0)
                #expect((loan["balances"] as? [String: Any])?["outstanding_principal"] as? String == "3000.00")
                let schedule = loan["schedule"] as? [[String: Any]]
                #expect(schedule?.count == 1)
                #expect(schedule?.first?["due_date"] as? String == "2026-12-01")
                #expect(schedule?.first?["interest_due"] as? String == "15.00")
            }
        }
    }

    @Test func aDrawOnAnUnknownLineIs404() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/lines/LINE-9/draws", method: .post, headers: headers(idempotencyKey: "d2"), body: drawBody("D-2")) { response in
                #expect(response.status == .notFound)
                #expect(errorCode(response.body) == "loan.no_line")
            }
        }
    }

    @Test func aDrawOverTheLimitIs422() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "d3"),
                                     body: drawBody("D-3", "10000.01")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(errorCode(response.body) == "loan.over_limit")
            }
        }
    }

    @Test func aDrawIdReusedWithAnotherAmountIs409() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "d4"), body: drawBody("D-4")) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "d5"),
                                     body: drawBody("D-4", "10.00")) { response in
                #expect(response.status == .conflict)
                #expect(errorCode(response.body) == "loan.draw_conflict")
            }
        }
    }

    @Test func badDrawValuesAre400() async throws {
        let bodies: [[String: Any]] = [
            ["draw_id": "D", "amount": "-5.00", "term_months": 12], ["draw_id": "D", "amount": "1.001", "term_months": 12],
            ["draw_id": "D", "amount": "100.00", "term_months": 0], ["draw_id": "", "amount": "100.00", "term_months": 12],
            ["draw_id": "D", "amount": 100, "term_months": 12], ["amount": "100.00", "term_months": 12],
        ]
        let buffers = bodies.map(json)
        try await withService(makeService(loans: FakeLoanService())) { client in
            for (index, body) in buffers.enumerated() {
                try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "bad-\(index)"), body: body) {
                    #expect($0.status == .badRequest, "\(String(buffer: body))")
                }
            }
        }
    }

    @Test func aReplayedDrawKeyDrawsOnce() async throws {
        let loans = FakeLoanService()
        try await withService(makeService(loans: loans)) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "once"), body: drawBody("D-6")) {
                    #expect($0.status == .created)
                }
            }
        }
        #expect(loans.draws.withLock { $0 } == 1)
    }

    @Test func aRepaymentIsAppliedAndTheLoanShown() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/lines/LINE-1/draws", method: .post, headers: headers(idempotencyKey: "r0"), body: drawBody("D-7")) { _ in }
            try await client.execute(uri: "/v1/loans/D-7/repayments", method: .post, headers: headers(idempotencyKey: "r1"),
                                     body: json(["payment_id": "P-1", "amount": "1000.00", "paid_at": "2026-11-20"])) { response in
                #expect(response.status == .created)
                let result = object(response.body)
                #expect((result["allocation"] as? [String: Any])?["principal"] as? String == "1000.00")
                #expect(((result["loan"] as? [String: Any])?["balances"] as? [String: Any])?["outstanding_principal"] as? String == "2000.00")
            }
            try await client.execute(uri: "/v1/loans/D-7/repayments", method: .post, headers: headers(idempotencyKey: "r2"),
                                     body: json(["payment_id": "P-2", "amount": "2500.00", "paid_at": "2026-11-21T09:30:00+08:00"])) { response in
                #expect(response.status == .created)
                #expect((object(response.body)["allocation"] as? [String: Any])?["overpayment"] as? String == "500.00")
            }
            try await client.execute(uri: "/v1/loans/D-7/repayments", method: .post, headers: headers(idempotencyKey: "r3"),
                                     body: json(["payment_id": "P-3", "amount": "1.00", "paid_at": "2026-11-22"])) { response in
                #expect(response.status == .unprocessableContent)
                #expect(errorCode(response.body) == "loan.closed")
            }
        }
    }

    @Test func aRepaymentWithABadDateOrUnknownLoanIsRefused() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/loans/NOPE/repayments", method: .post, headers: headers(idempotencyKey: "u1"),
                                     body: json(["payment_id": "P", "amount": "1.00", "paid_at": "2026-11-20"])) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/loans/NOPE/repayments", method: .post, headers: headers(idempotencyKey: "u2"),
                                     body: json(["payment_id": "P", "amount": "1.00", "paid_at": "20/11/2026"])) { response in
                #expect(response.status == .badRequest)
                #expect(errorMessage(response.body)?.contains("paid_at") == true)
            }
        }
    }

    @Test func anUnknownLoanIs404() async throws {
        try await withService(makeService(loans: FakeLoanService())) { client in
            try await client.execute(uri: "/v1/loans/NOPE", method: .get, headers: authorized) { #expect($0.status == .notFound) }
        }
    }

    @Test func withoutALoanBookTheRoutesAre501() async throws {
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v1/loans/X", method: .get, headers: authorized) { #expect($0.status == .notImplemented) }
            try await client.execute(uri: "/v1/lines/X/draws", method: .post, headers: headers(idempotencyKey: "z"), body: drawBody("D")) {
                #expect($0.status == .notImplemented)
            }
        }
    }
}
