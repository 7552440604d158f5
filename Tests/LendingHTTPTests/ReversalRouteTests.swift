import Foundation
import LendingLoanBook
import LendingModel
import LendingStore
import LendingStorePorts
@testable import LendingHTTP
import Testing

/// `POST /v1/repayments/{id}/reversal` and its approval: maker-checker, refusals, the ledger after.
@Suite struct ReversalRouteTests {
    @Test func aReversalIsAskedByOneKeyApprovedByAnotherAndGoesThroughTheLedger() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        let rail = try SimulatedRail(path: ":memory:", clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        _ = try DisburseJob(asOf: CalendarDay(iso: "2026-10-02")!, products: .standard, protector: testProtector).run(store: book.store, rail: rail)
        let opened = try #require(try book.store.readServicing { try $0.loans(["H-1"])["H-1"]?.state })
        try await withService(book.service) { client in
            let paid = try await client.call(.post, "/v1/loans/H-1/repayments", key: Keys.servicing, idempotencyKey: "r-1",
                                             json(["payment_id": "P-1", "amount": "500.00", "paid_at": "2026-10-20"]))
            #expect(paid.status == 201 || paid.status == 200, "\(String(buffer: paid.body))")
            let reason = json(["reason": "paid to the wrong loan"])
            #expect(try await client.call(.post, "/v1/repayments/P-1/reversal", key: Keys.collections, idempotencyKey: "r-2", reason).status == 403)
            let unknown = try await client.call(.post, "/v1/repayments/P-9/reversal", key: Keys.servicing, idempotencyKey: "r-3", reason)
            #expect(unknown.status == 404 && errorCode(unknown.body) == "reverse.unknown_payment")
            let blank = try await client.call(.post, "/v1/repayments/P-1/reversal", key: Keys.servicing, idempotencyKey: "r-4", json(["reason": " "]))
            #expect(blank.status == 400 && errorCode(blank.body) == "reverse.reason")
            let asked = try await client.call(.post, "/v1/repayments/P-1/reversal", key: Keys.servicing, idempotencyKey: "r-5", reason)
            #expect(asked.status == 202 && object(asked.body)["request_id"] as? String == "reversal:P-1", "\(String(buffer: asked.body))")
            #expect(object(asked.body)["kind"] as? String == "reversal")
            let twice = try await client.call(.post, "/v1/repayments/P-1/reversal", key: Keys.servicing, idempotencyKey: "r-6", reason)
            #expect(twice.status == 409 && errorCode(twice.body) == "reverse.conflict")
            let approve = json(["verdict": "approve"])
            let own = try await client.call(.post, "/v1/approvals/reversal:P-1/decision", key: Keys.servicing, idempotencyKey: "r-7", approve)
            #expect(own.status == 422 && errorCode(own.body) == "reverse.same_person")
            #expect(try await client.call(.post, "/v1/approvals/reversal:P-1/decision", key: Keys.collections, idempotencyKey: "r-8", approve).status == 403)
            // Collectors do not see reversal requests; servicing does.
            #expect((object(try await client.call(.get, "/v1/approvals", key: Keys.collections).body)["approvals"] as? [Any])?.count == 0)
            #expect((object(try await client.call(.get, "/v1/approvals", key: Keys.servicing).body)["approvals"] as? [Any])?.count == 1)
            let approved = try await client.call(.post, "/v1/approvals/reversal:P-1/decision", key: Keys.admin, idempotencyKey: "r-9", approve)
            #expect(approved.status == 200 && object(approved.body)["status"] as? String == "approved", "\(String(buffer: approved.body))")
            let again = try await client.call(.post, "/v1/approvals/reversal:P-1/decision", key: Keys.admin, idempotencyKey: "r-10", approve)
            #expect(again.status == 404 && errorCode(again.body) == "reverse.no_request")
        }
        let state = try #require(try book.store.readServicing { try $0.loans(["H-1"])["H-1"]?.state })
        #expect(state.outstandingPrincipal == opened.principal)
        #expect(state.installments.allSatisfy { $0.interestPaid == .zero && $0.principalPaid == .zero })
        let reversal = try book.store.readServicing { transaction in
            var found: [String] = []
            _ = try transaction.forEachJournalRow { if $0.entry.kind == .reversal { found.append($0.entry.id) } }
            return found
        }
        #expect(reversal == ["reverse:P-1"])
        #expect(try LedgerVerification.run(store: book.store).holds)
    }
}

@Suite struct RestructuringRouteTests {
    @Test func aRestructuringIsAskedApprovedBySomeoneElseAndRebuildsTheSchedule() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        let rail = try SimulatedRail(path: ":memory:", clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        _ = try DisburseJob(asOf: CalendarDay(iso: "2026-10-02")!, products: .standard, protector: testProtector).run(store: book.store, rail: rail)
        let opened = try #require(try book.store.readServicing { try $0.loans(["H-1"])["H-1"]?.state })
        try await withService(book.service) { client in
            let body = json(["change": "holiday", "count": 2, "reason": "hospital stay"])
            #expect(try await client.call(.post, "/v1/loans/H-1/restructurings", key: Keys.collections, idempotencyKey: "s-1", body).status == 403)
            let unknown = try await client.call(.post, "/v1/loans/H-9/restructurings", key: Keys.servicing, idempotencyKey: "s-2", body)
            #expect(unknown.status == 404 && errorCode(unknown.body) == "restructure.unknown_loan")
            let tooLong = try await client.call(.post, "/v1/loans/H-1/restructurings", key: Keys.servicing, idempotencyKey: "s-3",
                                                json(["change": "holiday", "count": 13, "reason": "x"]))
            #expect(tooLong.status == 422 && errorCode(tooLong.body) == "restructure.invalid")
            let asked = try await client.call(.post, "/v1/loans/H-1/restructurings", key: Keys.servicing, idempotencyKey: "s-4", body)
            #expect(asked.status == 202 && object(asked.body)["request_id"] as? String == "restructure:H-1:1", "\(String(buffer: asked.body))")
            let twice = try await client.call(.post, "/v1/loans/H-1/restructurings", key: Keys.servicing, idempotencyKey: "s-5", body)
            #expect(twice.status == 409 && errorCode(twice.body) == "restructure.conflict")
            let approve = json(["verdict": "approve"])
            let own = try await client.call(.post, "/v1/approvals/restructure:H-1:1/decision", key: Keys.servicing, idempotencyKey: "s-6", approve)
            #expect(own.status == 422 && errorCode(own.body) == "restructure.same_person")
            let approved = try await client.call(.post, "/v1/approvals/restructure:H-1:1/decision", key: Keys.admin, idempotencyKey: "s-7", approve)
            #expect(approved.status == 200 && object(approved.body)["status"] as? String == "approved", "\(String(buffer: approved.body))")
        }
        let state = try #require(try book.store.readServicing { try $0.loans(["H-1"])["H-1"]?.state })
        #expect(state.installments.count == opened.installments.count)
        #expect(state.installments[0].dueDate > opened.installments[0].dueDate)
        #expect(state.outstandingPrincipal == opened.outstandingPrincipal)
        #expect(try LedgerVerification.run(store: book.store).holds)
    }
}

@Suite struct SuspenseRouteTests {
    @Test func aReceiptIsHeldThenMovedToALoanBySomeoneElse() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        let rail = try SimulatedRail(path: ":memory:", clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        _ = try DisburseJob(asOf: CalendarDay(iso: "2026-10-02")!, products: .standard, protector: testProtector).run(store: book.store, rail: rail)
        let opened = try #require(try book.store.readServicing { try $0.loans(["H-1"])["H-1"]?.state })
        try await withService(book.service) { client in
            let receipt = json(["receipt_id": "BANK-7", "received_at": "2026-10-03", "amount": "120.00"])
            #expect(try await client.call(.post, "/v1/suspense/receipts", key: Keys.collections, idempotencyKey: "u-1", receipt).status == 403)
            let received = try await client.call(.post, "/v1/suspense/receipts", key: Keys.servicing, idempotencyKey: "u-2", receipt)
            #expect(received.status == 201 && object(received.body)["status"] as? String == "held", "\(String(buffer: received.body))")
            let again = try await client.call(.post, "/v1/suspense/receipts", key: Keys.servicing, idempotencyKey: "u-3", receipt)
            #expect(again.status == 200 && object(again.body)["repeated"] as? Bool == true)
            let other = try await client.call(.post, "/v1/suspense/receipts", key: Keys.servicing, idempotencyKey: "u-4",
                                              json(["receipt_id": "BANK-7", "received_at": "2026-10-03", "amount": "121.00"]))
            #expect(other.status == 409 && errorCode(other.body) == "suspense.conflict")
            let colon = try await client.call(.post, "/v1/suspense/receipts", key: Keys.servicing, idempotencyKey: "u-5",
                                              json(["receipt_id": "BANK:8", "received_at": "2026-10-03", "amount": "1.00"]))
            #expect(colon.status == 400 && errorCode(colon.body) == "suspense.receipt_id")

            let move = json(["loan_id": "H-1", "reason": "reference matched the contract"])
            let unknown = try await client.call(.post, "/v1/suspense/receipts/BANK-9/move", key: Keys.servicing, idempotencyKey: "u-6", move)
            #expect(unknown.status == 404 && errorCode(unknown.body) == "suspense.unknown_receipt")
            let asked = try await client.call(.post, "/v1/suspense/receipts/BANK-7/move", key: Keys.servicing, idempotencyKey: "u-7", move)
            #expect(asked.status == 202 && object(asked.body)["request_id"] as? String == "suspense:BANK-7:1", "\(String(buffer: asked.body))")
            let approve = json(["verdict": "approve"])
            let own = try await client.call(.post, "/v1/approvals/suspense:BANK-7:1/decision", key: Keys.servicing, idempotencyKey: "u-8", approve)
            #expect(own.status == 422 && errorCode(own.body) == "suspense.same_person")
            let approved = try await client.call(.post, "/v1/approvals/suspense:BANK-7:1/decision", key: Keys.admin, idempotencyKey: "u-9", approve)
            #expect(approved.status == 200 && object(approved.body)["status"] as? String == "approved", "\(String(buffer: approved.body))")
            let twice = try await client.call(.post, "/v1/suspense/receipts/BANK-7/move", key: Keys.servicing, idempotencyKey: "u-10", move)
            #expect(twice.status == 422 && errorCode(twice.body) == "suspense.moved")
        }
        let payment = try #require(try book.store.readServicing { try $0.repayment(paymentID: "suspense:BANK-7") })
        #expect(payment.loanID == "H-1" && payment.amount == Money(yuan: "120.00")!)
        let state = try #require(try book.store.readServicing { try $0.loans(["H-1"])["H-1"]?.state })
        #expect(state.outstandingPrincipal + state.interestReceivable < opened.outstandingPrincipal + Money(yuan: "120.00")!)
        let verified = try LedgerVerification.run(store: book.store)
        #expect(verified.holds && verified.suspenseReceipts == 1, "\(verified.problems)")
    }
}
