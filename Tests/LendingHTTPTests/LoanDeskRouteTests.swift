import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingModel
import LendingStore
import Testing
import LendingApplications
import LendingLoanBook

/// Where a loan book lives in these tests: SQLite in memory or in a file.
enum BookPlace: String, CaseIterable, Sendable {
    case memory, disk

    func path(_ name: String) -> String {
        guard self == .disk else { return ":memory:" }
        let directory = NSTemporaryDirectory() + "lending-http-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(name)-\(UUID().uuidString).sqlite"
        return path
    }
}

/// The day a draw without `requested_at` is dated in these tests.
let bookToday = CalendarDay(iso: "2026-10-05")!

/// A loan book in SQLite behind the whole service: applicants 1 (installment, H-1), 2 and 3
/// (revolving, H-2 and H-3) approved through the application desk on 2026-10-01 for 5 000.00 at 14.4%;
/// H-1 and H-2 signed; the loan H-1 paid out on 2026-10-02 (12 months); H-3 left unsigned.
struct LoanBook {
    let store: SQLiteStore
    let desk: ApplicationDesk
    let loans: LoanDesk
    let service: LendingService

    init(_ place: BookPlace, _ name: String) async throws {
        try await self.init(path: place.path(name), prepare: true)
    }

    /// The service over an existing database (`prepare: false`: as after a restart).
    init(path: String, prepare: Bool) async throws {
        store = try SQLiteStore(path: path)
        desk = try makeDesk(store: store, invited: prepare ? [1, 2, 3] : [])
        if prepare {
            for (index, product) in [(1, "installment"), (2, "revolving"), (3, "revolving")] {
                let decided = try await desk.decide(try input(desk, applicationFields(index, overrides: ["product": product])))
                #expect(decided.record.outcome == .approve)
            }
            let signed = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600)
                .run(.applications(["H-1", "H-2"]), store: store)
            #expect(signed.loans == 1 && signed.lines == 1)
            let rail = try SimulatedRail(path: ":memory:", clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
            let paid = try DisburseJob(asOf: CalendarDay(iso: "2026-10-02")!, products: .standard, protector: testProtector).run(store: store, rail: rail)
            #expect(paid.answered.paid == 1)
        }
        loans = LoanDesk(store: store, products: .standard, today: { bookToday })
        service = LendingService(scorer: scorecardpyScorer, keys: APIKeySet(keys: [testKey]), desk: desk, loans: loans,
                                 idempotency: InMemoryIdempotencyStore(log: store), clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
    }

    /// The journal's entry ids, in order.
    func journalIDs() throws -> [String] {
        var ids: [String] = []
        _ = try store.forEachJournalRow { ids.append($0.entry.id) }
        return ids
    }

    func loanCount() throws -> Int {
        var count = 0
        try store.forEachLoan { _ in count += 1 }
        return count
    }
}

func drawBody(_ id: String, _ amount: String = "1000.00", term: Int = 6, on day: String? = "2026-10-03") -> ByteBuffer {
    var fields: [String: Any] = ["draw_id": id, "amount": amount, "term_months": term]
    if let day { fields["requested_at"] = day }
    return json(fields)
}

func paymentBody(_ id: String, _ amount: String = "500.00", on day: String = "2026-10-20") -> ByteBuffer {
    json(["payment_id": id, "amount": amount, "paid_at": day])
}

extension TestClientProtocol {
    /// Sends a POST with a key and returns the status, the body and whether it was a replay.
    func post(_ uri: String, key: String, _ body: ByteBuffer) async throws -> (status: Int, body: ByteBuffer, replayed: Bool) {
        try await execute(uri: uri, method: .post, headers: headers(idempotencyKey: key), body: body) { response in
            (response.status.code, response.body, response.headers[.idempotentReplayed] == "true")
        }
    }
}

@Suite struct LoanDeskRouteTests {
    // MARK: Repayments

    @Test(arguments: BookPlace.allCases) func aRepaymentIsPostedOnceAndItsKeyStoredWithIt(place: BookPlace) async throws {
        let book = try await LoanBook(place, "repay")
        let before = try book.journalIDs().count
        try await withService(book.service) { client in
            let first = try await client.post("/v1/loans/H-1/repayments", key: "pay-1", paymentBody("P-1"))
            #expect(first.status == 201 && !first.replayed)
            let result = object(first.body)
            #expect(result["payment_id"] as? String == "P-1")
            #expect(result["replayed"] as? Bool == false)
            // Nothing is due on 2026-10-20: the interest of Oct 3..20 (5 000.00 × 14.4% × 18 / 365 = 35.5068… → 35.51), then principal.
            let allocation = try #require(result["allocation"] as? [String: Any])
            #expect(allocation["interest"] as? String == "35.51")
            #expect(allocation["principal"] as? String == "464.49")
            #expect(allocation["penalty"] as? String == "0.00" && allocation["overpayment"] as? String == "0.00")
            let loan = try #require(result["loan"] as? [String: Any])
            #expect(loan["processed_through"] as? String == "2026-10-20")
            #expect((loan["balances"] as? [String: Any])?["outstanding_principal"] as? String == "4535.51")

            // The same key and body: the stored response, byte for byte, and no second posting.
            let again = try await client.post("/v1/loans/H-1/repayments", key: "pay-1", paymentBody("P-1"))
            #expect(again.status == 201 && again.replayed)
            #expect(again.body == first.body)
            // The same payment under a new key: the stored repayment, 200, nothing posted.
            let sameID = try await client.post("/v1/loans/H-1/repayments", key: "pay-2", paymentBody("P-1"))
            #expect(sameID.status == 200 && !sameID.replayed)
            #expect(object(sameID.body)["replayed"] as? Bool == true)
            #expect((object(sameID.body)["allocation"] as? [String: Any])?["principal"] as? String == "464.49")
        }
        let journal = try book.journalIDs()
        #expect(journal.count == before + 19)   // 18 daily accruals caught up, then the payment
        #expect(journal.filter { $0 == "repay:P-1" }.count == 1)
        let stored = try #require(try await book.store.completedRequest(key: "pay-1"))
        #expect(stored.status == 201)
        #expect(try book.store.idempotencyKeyCount() == 2)
        #expect(try LedgerVerification.run(store: book.store).holds)
    }

    @Test(arguments: BookPlace.allCases) func aPaymentIDReusedWithAnotherAmountIs409AndPostsNothing(place: BookPlace) async throws {
        let book = try await LoanBook(place, "repay-conflict")
        try await withService(book.service) { client in
            #expect(try await client.post("/v1/loans/H-1/repayments", key: "c-1", paymentBody("P-1")).status == 201)
            let journal = try book.journalIDs()
            let conflict = try await client.post("/v1/loans/H-1/repayments", key: "c-2", paymentBody("P-1", "600.00"))
            #expect(conflict.status == 409)
            #expect(errorCode(conflict.body) == "repay.conflict")
            #expect(try book.journalIDs() == journal)
            // The refusal is the request's outcome: kept under its key.
            let repeated = try await client.post("/v1/loans/H-1/repayments", key: "c-2", paymentBody("P-1", "600.00"))
            #expect(repeated.status == 409 && repeated.replayed && repeated.body == conflict.body)
        }
    }

    @Test(arguments: BookPlace.allCases) func aKeyReusedWithAnotherBodyIs409(place: BookPlace) async throws {
        let book = try await LoanBook(place, "key-mismatch")
        try await withService(book.service) { client in
            #expect(try await client.post("/v1/loans/H-1/repayments", key: "m", paymentBody("P-1")).status == 201)
            let other = try await client.post("/v1/loans/H-1/repayments", key: "m", paymentBody("P-2", "20.00"))
            #expect(other.status == 409)
            #expect(errorCode(other.body) == "idempotency.mismatch")
        }
        #expect(try book.journalIDs().filter { $0.hasPrefix("repay:") } == ["repay:P-1"])
    }

    @Test(arguments: BookPlace.allCases) func repaymentsTheLoanBookRefusesAre404Or422(place: BookPlace) async throws {
        let book = try await LoanBook(place, "repay-refused")
        try await withService(book.service) { client in
            let unknown = try await client.post("/v1/loans/NOPE/repayments", key: "r-1", paymentBody("P-1"))
            #expect(unknown.status == 404 && errorCode(unknown.body) == "repay.unknown_loan")
            #expect(try await client.post("/v1/lines/H-2/draws", key: "r-2", drawBody("D-1")).status == 201)
            let notPaidOut = try await client.post("/v1/loans/D-1/repayments", key: "r-3", paymentBody("P-2"))
            #expect(notPaidOut.status == 422 && errorCode(notPaidOut.body) == "repay.not_paid_out")
            #expect(try await client.post("/v1/loans/H-1/repayments", key: "r-4", paymentBody("P-3", on: "2026-10-20")).status == 201)
            let backdated = try await client.post("/v1/loans/H-1/repayments", key: "r-5", paymentBody("P-4", on: "2026-10-10"))
            #expect(backdated.status == 422 && errorCode(backdated.body) == "servicing.backdated")
        }
        #expect(try book.journalIDs().filter { $0.hasPrefix("repay:") } == ["repay:P-3"])
    }

    @Test func badRepaymentBodiesAre400AndLeaveTheKeyFree() async throws {
        let book = try await LoanBook(.memory, "repay-bad")
        let bodies: [ByteBuffer] = [
            json(["payment_id": "P", "amount": "abc", "paid_at": "2026-10-20"]), json(["payment_id": "P", "amount": "0.00", "paid_at": "2026-10-20"]),
            json(["payment_id": "P", "amount": "1.00", "paid_at": "20/10/2026"]), json(["amount": "1.00", "paid_at": "2026-10-20"]),
            json(["payment_id": "P", "amount": 1, "paid_at": "2026-10-20"]), ByteBuffer(string: #"{"payment_id": "P", "amount": "#),
            ByteBuffer(string: "not json"),
        ]
        try await withService(book.service) { client in
            for body in bodies {
                let refused = try await client.post("/v1/loans/H-1/repayments", key: "bad", body)
                #expect(refused.status == 400, "\(String(buffer: body))")
            }
            // 400 does not use the key up.
            #expect(try await client.post("/v1/loans/H-1/repayments", key: "bad", paymentBody("P-1")).status == 201)
        }
        #expect(try book.store.idempotencyKeyCount() == 1)
    }

    @Test func concurrentDuplicateRepaymentsHaveOneEffect() async throws {
        let book = try await LoanBook(.disk, "repay-concurrent")
        try await withService(book.service) { client in
            let answers = try await withThrowingTaskGroup(of: (Int, ByteBuffer).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let answer = try await client.post("/v1/loans/H-1/repayments", key: "same", paymentBody("P-9", "300.00"))
                        return (answer.status, answer.body)
                    }
                }
                var all: [(Int, ByteBuffer)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            #expect(answers.count == 12 && answers.allSatisfy { $0.0 == 201 })
            #expect(Set(answers.map { String(buffer: $0.1) }).count == 1)
        }
        #expect(try book.journalIDs().filter { $0.hasPrefix("repay:") } == ["repay:P-9"])
    }

    // MARK: Draws

    @Test(arguments: BookPlace.allCases) func aDrawMakesALoanWaitingForItsPayout(place: BookPlace) async throws {
        let book = try await LoanBook(place, "draw")
        let loansBefore = try book.loanCount()
        try await withService(book.service) { client in
            let drawn = try await client.post("/v1/lines/H-2/draws", key: "d-1", drawBody("D-1"))
            #expect(drawn.status == 201)
            let loan = object(drawn.body)
            #expect(loan["loan_id"] as? String == "D-1" && loan["line_id"] as? String == "H-2")
            #expect(loan["status"] as? String == "signed" && loan["product"] as? String == "revolving")
            #expect(loan["principal"] as? String == "1000.00" && loan["term_months"] as? Int == 6)
            #expect(loan["signed_on"] as? String == "2026-10-03")
            #expect(loan["disbursed_on"] == nil && loan["bucket"] == nil)
            #expect((loan["schedule"] as? [Any])?.isEmpty == true)
            #expect(loan["replayed"] as? Bool == false)

            let replay = try await client.post("/v1/lines/H-2/draws", key: "d-1", drawBody("D-1"))
            #expect(replay.status == 201 && replay.replayed && replay.body == drawn.body)
            let sameID = try await client.post("/v1/lines/H-2/draws", key: "d-2", drawBody("D-1"))
            #expect(sameID.status == 200 && object(sameID.body)["replayed"] as? Bool == true)
            try await client.execute(uri: "/v1/loans/D-1", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                #expect(object(response.body)["status"] as? String == "signed")
            }
        }
        #expect(try book.loanCount() == loansBefore + 1)
        let line = try #require(try book.store.readServicing { try $0.line("H-2") })
        #expect(line.line.available == Money(yuan: "4000.00")!)
    }

    @Test func aDrawWithoutADateIsDatedTodayAndItsRepeatIsTheSameDraw() async throws {
        let book = try await LoanBook(.memory, "draw-today")
        try await withService(book.service) { client in
            let drawn = try await client.post("/v1/lines/H-2/draws", key: "t-1", drawBody("D-7", on: nil))
            #expect(drawn.status == 201 && object(drawn.body)["signed_on"] as? String == "2026-10-05")
            let again = try await client.post("/v1/lines/H-2/draws", key: "t-2", drawBody("D-7", on: nil))
            #expect(again.status == 200 && object(again.body)["replayed"] as? Bool == true)
        }
    }

    @Test(arguments: BookPlace.allCases) func drawsTheLoanBookRefusesAre404Or409Or422(place: BookPlace) async throws {
        let book = try await LoanBook(place, "draw-refused")
        let loansBefore = try book.loanCount()
        let cases: [(line: String, body: ByteBuffer, status: Int, code: String)] = [
            ("H-2", drawBody("D-1", "5000.01"), 422, "draw.over_available"),
            ("H-3", drawBody("D-2"), 422, "draw.line_not_signed"),
            ("H-1", drawBody("D-3"), 422, "draw.not_a_line"),
            ("NOPE", drawBody("D-4"), 404, "draw.unknown_line"),
            ("H-2", drawBody("D-5", on: "2026-09-30"), 422, "draw.before_signing"),
            ("H-2", drawBody("H-1"), 409, "draw.draw_id"),
        ]
        try await withService(book.service) { client in
            for (index, item) in cases.enumerated() {
                let refused = try await client.post("/v1/lines/\(item.line)/draws", key: "x-\(index)", item.body)
                #expect(refused.status == item.status, "\(item.code)")
                #expect(errorCode(refused.body) == item.code)
            }
            #expect(try await client.post("/v1/lines/H-2/draws", key: "ok", drawBody("D-6", "5000.00")).status == 201)
            let conflict = try await client.post("/v1/lines/H-2/draws", key: "x-c", drawBody("D-6", "10.00"))
            #expect(conflict.status == 409 && errorCode(conflict.body) == "draw.conflict")
            let empty = try await client.post("/v1/lines/H-2/draws", key: "x-e", drawBody("D-8", "0.01"))
            #expect(empty.status == 422 && errorCode(empty.body) == "draw.over_available")
        }
        #expect(try book.loanCount() == loansBefore + 1)
    }

    @Test func badDrawBodiesAre400() async throws {
        let book = try await LoanBook(.memory, "draw-bad")
        let bodies: [ByteBuffer] = [
            json(["draw_id": "D", "amount": "-5.00", "term_months": 6]), json(["draw_id": "D", "amount": "1.001", "term_months": 6]),
            json(["draw_id": "D", "amount": "100.00", "term_months": 0]), json(["draw_id": "", "amount": "100.00", "term_months": 6]),
            json(["draw_id": "D", "amount": "100.00", "term_months": 6, "requested_at": "tomorrow"]), json(["amount": "100.00", "term_months": 6]),
            ByteBuffer(string: "[1, 2"),
        ]
        try await withService(book.service) { client in
            for (index, body) in bodies.enumerated() {
                let status = try await client.post("/v1/lines/H-2/draws", key: "b-\(index)", body).status
                #expect(status == 400, "\(String(buffer: body))")
            }
        }
        #expect(try book.loanCount() == 1)
    }

    // MARK: Loans

    @Test(arguments: BookPlace.allCases) func aLoanIsShownWithItsScheduleAndBalances(place: BookPlace) async throws {
        let book = try await LoanBook(place, "show")
        try await withService(book.service) { client in
            try await client.execute(uri: "/v1/loans/H-1", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                let loan = object(response.body)
                #expect(loan["status"] as? String == "active" && loan["product"] as? String == "installment")
                #expect(loan["principal"] as? String == "5000.00" && loan["apr"] as? String == "0.144")
                #expect(loan["disbursed_on"] as? String == "2026-10-02" && loan["processed_through"] as? String == "2026-10-02")
                #expect(loan["days_past_due"] as? Int == 0 && loan["bucket"] as? String == "current")
                let schedule = try #require(loan["schedule"] as? [[String: Any]])
                #expect(schedule.count == 12)
                #expect(schedule.first?["due_date"] as? String == "2026-11-02")
                #expect(schedule.last?["due_date"] as? String == "2027-10-02")
                #expect((loan["balances"] as? [String: Any])?["outstanding_principal"] as? String == "5000.00")
            }
            try await client.execute(uri: "/v1/loans/NOPE", method: .get, headers: authorized) { response in
                #expect(response.status == .notFound && errorCode(response.body) == "http.not_found")
            }
        }
    }

    @Test func everyLoanRouteWantsAKey() async throws {
        let book = try await LoanBook(.memory, "keys")
        try await withService(book.service) { client in
            for (uri, method) in [("/v1/loans/H-1", HTTPRequest.Method.get), ("/v1/loans/H-1/repayments", .post), ("/v1/lines/H-2/draws", .post)] {
                try await client.execute(uri: uri, method: method, headers: headers(idempotencyKey: "k", authorization: nil), body: paymentBody("P")) { response in
                    #expect(response.status == .unauthorized)
                    #expect(errorCode(response.body) == "http.unauthorized")
                }
            }
        }
        #expect(try book.journalIDs().filter { $0.hasPrefix("repay:") }.isEmpty)
    }

    // MARK: Durable keys and one writer

    @Test func keysAreAnsweredFromTheDatabaseAfterARestart() async throws {
        let path = BookPlace.disk.path("restart")
        let book = try await LoanBook(path: path, prepare: true)
        let (payment, application) = try await withService(book.service) { client in
            let payment = try await client.post("/v1/loans/H-1/repayments", key: "durable-pay", paymentBody("P-1"))
            let application = try await client.post("/v1/applications", key: "durable-app", json(applicationFields(4, row: 4)))
            return (payment, application)
        }
        #expect(payment.status == 201 && application.status == 201)
        let journal = try book.journalIDs()

        let restarted = try await LoanBook(path: path, prepare: false)
        try await withService(restarted.service) { client in
            let payAgain = try await client.post("/v1/loans/H-1/repayments", key: "durable-pay", paymentBody("P-1"))
            #expect(payAgain.status == 201 && payAgain.replayed && payAgain.body == payment.body)
            let applyAgain = try await client.post("/v1/applications", key: "durable-app", json(applicationFields(4, row: 4)))
            #expect(applyAgain.status == 201 && applyAgain.replayed && applyAgain.body == application.body)
            let mismatch = try await client.post("/v1/loans/H-1/repayments", key: "durable-pay", paymentBody("P-2"))
            #expect(mismatch.status == 409 && errorCode(mismatch.body) == "idempotency.mismatch")
        }
        #expect(try restarted.journalIDs() == journal)
        var decisions = 0
        try restarted.store.forEachDecision { _ in decisions += 1 }
        #expect(decisions == 4)
    }

    @Test func applicationsAndRepaymentsShareTheDatabaseWithoutRacing() async throws {
        let book = try await LoanBook(.disk, "one-writer")
        try invite(Array(100..<130), into: book.store)
        try await withService(book.service) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 100..<130 {
                    group.addTask {
                        try await client.post("/v1/applications", key: "a-\(index)", json(applicationFields(index, row: index % 50))).status
                    }
                    group.addTask {
                        try await client.post("/v1/loans/H-1/repayments", key: "p-\(index)", paymentBody("P-\(index)", "10.00")).status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
        }
        #expect(try book.journalIDs().filter { $0.hasPrefix("repay:") }.count == 30)
        #expect(try DecisionVerification.run(store: book.store, expectHead: nil).decisions == 33)
        #expect(try LedgerVerification.run(store: book.store).holds)
        #expect(try book.store.idempotencyKeyCount() == 60)
    }
}
