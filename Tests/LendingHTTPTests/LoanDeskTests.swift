import Dispatch
import Foundation
@testable import LendingHTTP
import LendingMemoryStore
import LendingModel
import LendingStore
import Testing
import LendingLoanBook

/// Holds the store's one writing connection on another thread until released.
final class WriterHold: Sendable {
    let entered = DispatchSemaphore(value: 0)
    let gate = DispatchSemaphore(value: 0)

    init(_ store: SQLiteStore) {
        DispatchQueue.global().async { [entered, gate] in
            _ = try? store.withServicingTransaction { _ in
                entered.signal()
                gate.wait()
            }
        }
    }

    func release() { gate.signal() }
}

func repayment(_ id: String, _ amount: String = "100.00", loan: String = "H-1", on day: String = "2026-10-20") -> RepaymentRequest {
    RepaymentRequest(loanID: loan, paymentID: id, amount: Money(yuan: amount)!, paidAt: CalendarDay(iso: day)!)
}

@Suite struct LoanDeskTests {
    let receivedAt = Instant(secondsSinceEpoch: 1_790_000_000)

    @Test(arguments: BookPlace.allCases) func theKeyCommitsWithTheRepaymentItRecords(place: BookPlace) async throws {
        let book = try await LoanBook(place, "desk-key")
        let ticket = IdempotencyTicket(key: "desk-1", fingerprint: Array(repeating: 1, count: 32), receivedAt: receivedAt)
        let view = try await book.loans.repay(repayment("P-1"), ticket: ticket)
        #expect(view.toPrincipal == Money(yuan: "64.49")! && !view.replayed)
        let recorded = try #require(ticket.recordedResponse)
        #expect(recorded.status == 201)
        #expect(try await book.store.completedRequest(key: "desk-1") == ticket.completedRequest(recorded))
    }

    @Test func aRefusalIsRecordedUnderItsKeyAndWritesNothingElse() async throws {
        let book = try await LoanBook(.memory, "desk-refusal")
        let journal = try book.journalIDs()
        let ticket = IdempotencyTicket(key: "desk-2", fingerprint: Array(repeating: 2, count: 32), receivedAt: receivedAt)
        await #expect(throws: LoanServiceError(.notFound, code: "repay.unknown_loan", message: "loan NOPE is not known; check the loan id")) {
            try await book.loans.repay(repayment("P-1", loan: "NOPE"), ticket: ticket)
        }
        #expect(ticket.recordedResponse?.status == 404)
        #expect(try await book.store.completedRequest(key: "desk-2")?.status == 404)
        #expect(try book.journalIDs() == journal)
    }

    @Test func withoutATicketNothingIsRecorded() async throws {
        let book = try await LoanBook(.memory, "desk-no-ticket")
        _ = try await book.loans.repay(repayment("P-1"))
        #expect(try book.store.idempotencyKeyCount() == 0)
    }

    @Test func requestsArrivingDuringACommitAreWrittenTogetherAndAFailureFailsOnlyItsRequest() async throws {
        let book = try await LoanBook(.disk, "desk-batch")
        // A loan book without the installment product: a repayment on H-1 fails its transaction.
        let revolvingOnly = ProductCatalog(products: ["revolving": ProductCatalog.standard.products["revolving"]!])
        let desk = LoanDesk(store: book.store, products: revolvingOnly, today: { bookToday })
        let hold = WriterHold(book.store)
        await wait(hold.entered)
        // The first request is taken alone and waits for the writing connection; the next two queue behind it.
        let first = Task { try await desk.draw(DrawRequest(lineID: "H-2", drawID: "D-1", amount: Money(yuan: "100.00")!, termMonths: 3)) }
        while desk.takenCount < 1 { await Task.yield() }
        let failing = Task { try await desk.repay(repayment("P-1")) }
        let drawn = Task { try await desk.draw(DrawRequest(lineID: "H-2", drawID: "D-2", amount: Money(yuan: "200.00")!, termMonths: 3)) }
        while desk.waitingCount < 2 { await Task.yield() }
        hold.release()
        #expect(try await first.value.loan.status == "signed")
        await #expect(throws: LendingError.self) { try await failing.value }
        #expect(try await drawn.value.loan.principal == Money(yuan: "200.00")!)
        #expect(try book.journalIDs().filter { $0.hasPrefix("repay:") }.isEmpty)
        let line = try #require(try book.store.readServicing { try $0.line("H-2") })
        #expect(line.line.available == Money(yuan: "4700.00")!)
        await desk.shutdown()
    }

    @Test func afterShutdownRequestsAreRefusedWith503() async throws {
        let book = try await LoanBook(.memory, "desk-shutdown")
        await book.loans.shutdown()
        await #expect(throws: HTTPServiceError.self) { try await book.loans.repay(repayment("P-1")) }
    }

    @Test func theApplicationDeskCommitsTheKeyWithTheDecision() async throws {
        let store = try SQLiteStore(path: ":memory:")
        let desk = try makeDesk(store: store, invited: [1])
        let ticket = IdempotencyTicket(key: "app-1", fingerprint: Array(repeating: 3, count: 32), receivedAt: receivedAt)
        let decided = try await desk.decide(try input(desk, applicationFields(1)), ticket: ticket)
        #expect(decided.record.outcome == .approve)
        let recorded = try #require(ticket.recordedResponse)
        #expect(recorded.status == 201)
        #expect(try await store.completedRequest(key: "app-1")?.body == recorded.body)
        await desk.shutdown()
    }

    @Test func theInMemoryStoreCommitsTheKeyWithTheDecisionToo() async throws {
        let store = InMemoryStore()
        let desk = try makeDesk(store: store, invited: [1])
        let ticket = IdempotencyTicket(key: "app-2", fingerprint: Array(repeating: 4, count: 32), receivedAt: receivedAt)
        _ = try await desk.decide(try input(desk, applicationFields(1)), ticket: ticket)
        let recorded = try #require(ticket.recordedResponse)
        #expect(recorded.status == 201)
        #expect(try await store.completedRequest(key: "app-2")?.body == recorded.body)
        await desk.shutdown()
    }
}
