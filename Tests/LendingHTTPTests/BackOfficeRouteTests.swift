import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import LendingApplications
import LendingCollections
import LendingLoanBook
import LendingModel
import LendingStore
import LendingStorePorts
@testable import LendingHTTP
import Testing

/// Keys of the back-office tests: a name and roles each.
enum Keys {
    static let admin = "admin-key-0001"
    static let alice = "review-key-alice"
    static let bob = "review-key-bob"
    static let scoring = "scoring-key-0001"
    static let applications = "apps-key-0001"
    static let servicing = "servicing-key-01"
    static let collections = "collect-key-0001"
    static let collections2 = "collect-key-0002"

    static let set = APIKeySet(entries: [
        (admin, Set(Role.allCases), "admin"), (alice, [.review], "alice"), (bob, [.review], "bob"), (scoring, [.scoring], "scorer"),
        (applications, [.applications], "channel"), (servicing, [.servicing], "servicer"), (collections, [.collections], "collector"),
        (collections2, [.collections], "second collector"),
    ])
}

/// A small book behind the whole service, with the back office and the audit trail: H-1
/// (installment) and H-2 (revolving) approved on 2026-10-01, H-4 sent to review; nothing signed.
/// Every review approval needs a second reviewer (the limit is 0.01).
struct BackOfficeBook {
    let store: SQLiteStore
    let service: LendingService
    let clock = Instant(iso: "2026-10-01T15:00:00+08:00")!

    init() async throws {
        store = try SQLiteStore(path: ":memory:")
        let desk = try makeDesk(store: store, invited: [1, 2, 4])
        for (index, overrides) in [(1, ["product": "installment"]), (2, ["product": "revolving"]), (4, ["kyc_phone": "no_record"])] {
            _ = try await desk.decide(try input(desk, applicationFields(index, overrides: overrides)))
        }
        var policy = rulesOnlyPolicy
        policy.review.secondApprovalAbove = Money(fen: 1)
        let office = BackOffice(database: store, policy: policy, products: .standard, protector: testProtector)
        let loans = LoanDesk(store: store, products: .standard, today: { bookToday })
        let now = clock
        service = LendingService(scorer: scorecardpyScorer, keys: Keys.set, desk: desk, loans: loans, backOffice: office,
                                 audit: AuditTrail(log: store), idempotency: InMemoryIdempotencyStore(log: store), clock: { now })
    }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String?, idempotencyKey: String? = nil, _ body: ByteBuffer? = nil)
        async throws -> (status: Int, body: ByteBuffer, headers: HTTPFields) {
        try await execute(uri: uri, method: method, headers: headers(idempotencyKey: idempotencyKey, authorization: key.map { "Bearer \($0)" }),
                          body: body) { response in (response.status.code, response.body, response.headers) }
    }
}

@Suite struct BackOfficeRouteTests {
    @Test func aRouteOutsideTheKeysRolesIs403AndNoKeyIs401() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            #expect(try await client.call(.get, "/v1/reviews", key: nil).status == 401)
            let refused = try await client.call(.get, "/v1/reviews", key: Keys.scoring)
            #expect(refused.status == 403)
            #expect(errorCode(refused.body) == "http.forbidden")
            #expect(try await client.call(.get, "/v1/reviews", key: Keys.alice).status == 200)
            #expect(try await client.call(.get, "/v1/reviews", key: Keys.admin).status == 200)
            #expect(try await client.call(.post, "/v1/score", key: Keys.alice, json(["features": [:]])).status == 403)
            #expect(try await client.call(.get, "/v1/loans/H-1", key: Keys.collections).status == 403)
            #expect(try await client.call(.get, "/v1/audit", key: Keys.servicing).status == 403)
        }
    }

    @Test func anUndeclaredMethodOnAKnownPathIs405WithAllowAndAnUnknownPathIs404() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            let put = try await client.call(.put, "/v1/reviews", key: Keys.admin)
            #expect(put.status == 405)
            #expect(put.headers[.allow] == "GET")
            let delete = try await client.call(.delete, "/v1/loans/H-1", key: Keys.admin)
            #expect(delete.status == 405)
            #expect(delete.headers[.allow] == "GET")
            let getOnPost = try await client.call(.get, "/v1/collections/outcomes", key: Keys.admin)
            #expect(getOnPost.status == 405 && getOnPost.headers[.allow] == "POST")
            #expect(try await client.call(.get, "/v1/nothing/here", key: Keys.admin).status == 404)
            // Without a key the answer is 401 first, whatever the method.
            #expect(try await client.call(.put, "/v1/reviews", key: nil).status == 401)
        }
    }

    @Test func aReviewApprovalNeedsASecondReviewerAndNeverTheFirst() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            let queue = object(try await client.call(.get, "/v1/reviews", key: Keys.alice).body)["reviews"] as? [[String: Any]]
            #expect(queue?.map { $0["application_id"] as? String } == ["H-4"])
            let approve = json(["verdict": "approve"])
            let first = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.alice, idempotencyKey: "r-1", approve)
            #expect(first.status == 202)
            #expect(object(first.body)["status"] as? String == "awaiting_second_approval")
            let pending = object(try await client.call(.get, "/v1/reviews", key: Keys.bob).body)["reviews"] as? [[String: Any]]
            #expect(pending?.first?["awaiting_second_approval"] as? Bool == true && pending?.first?["requested_by"] as? String == "alice")
            let again = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.alice, idempotencyKey: "r-2", approve)
            #expect(again.status == 422)
            #expect(errorCode(again.body) == "review.same_reviewer")
            let second = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.bob, idempotencyKey: "r-3", approve)
            #expect(second.status == 201)
            let decision = object(second.body)["decision"] as? [String: Any]
            #expect(decision?["outcome"] as? String == "approve")
            let late = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.bob, idempotencyKey: "r-4", approve)
            #expect(late.status == 409 && errorCode(late.body) == "review.decided")
            #expect(try await client.call(.post, "/v1/reviews/H-9/decision", key: Keys.bob, idempotencyKey: "r-5", approve).status == 404)
            #expect(try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.bob, approve).status == 400)
            let approvals = object(try await client.call(.get, "/v1/approvals?status=approved", key: Keys.alice).body)["approvals"] as? [[String: Any]]
            #expect(approvals?.first?["decided_by"] as? String == "bob" && approvals?.first?["requested_by"] as? String == "alice")
        }
        #expect(try DecisionVerification.run(store: book.store).holds)
    }

    @Test func signingRecordsTheAcceptanceOfTheTextShownOnce() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            let shown = object(try await client.call(.get, "/v1/applications/H-1/agreement", key: Keys.applications).body)
            let text = try #require(shown["text"] as? String)
            let hash = try #require(shown["text_sha256"] as? String)
            #expect(hash == hexString(SHA256.hash(data: Array(text.utf8))))
            #expect(shown["signed"] as? Bool == false)
            func body(_ sha: String, at time: String = "2026-10-01T16:00:00+08:00") -> ByteBuffer {
                json(["accepted_at": time, "channel": "app", "ip": "203.0.113.7", "device": "D-88", "text_sha256": sha])
            }
            let wrong = try await client.call(.post, "/v1/applications/H-1/signature", key: Keys.applications, idempotencyKey: "s-1",
                                              body(String(repeating: "0", count: 64)))
            #expect(wrong.status == 422 && errorCode(wrong.body) == "sign.text_mismatch")
            let early = try await client.call(.post, "/v1/applications/H-1/signature", key: Keys.applications, idempotencyKey: "s-2",
                                              body(hash, at: "2026-09-30T16:00:00+08:00"))
            #expect(early.status == 422 && errorCode(early.body) == "sign.too_early")
            let signed = try await client.call(.post, "/v1/applications/H-1/signature", key: Keys.applications, idempotencyKey: "s-3", body(hash))
            #expect(signed.status == 201)
            #expect(object(signed.body)["loan_id"] as? String == "H-1")
            let replay = try await client.call(.post, "/v1/applications/H-1/signature", key: Keys.applications, idempotencyKey: "s-3", body(hash))
            #expect(replay.status == 201 && replay.headers[.idempotentReplayed] == "true")
            let twice = try await client.call(.post, "/v1/applications/H-1/signature", key: Keys.applications, idempotencyKey: "s-4", body(hash))
            #expect(twice.status == 409 && errorCode(twice.body) == "sign.signed")
            #expect(try await client.call(.post, "/v1/applications/H-7/signature", key: Keys.applications, idempotencyKey: "s-5", body(hash)).status == 404)
            let review = try await client.call(.post, "/v1/applications/H-4/signature", key: Keys.applications, idempotencyKey: "s-6", body(hash))
            #expect(review.status == 422 && errorCode(review.body) == "sign.not_approved")
            #expect(try await client.call(.get, "/v1/loans/H-1/payouts", key: Keys.servicing).status == 200)
            #expect(try await client.call(.get, "/v1/loans/H-9/payouts", key: Keys.servicing).status == 404)
        }
        let evidence = try book.store.readServicing { try $0.signature(applicationID: "H-1") }
        #expect(evidence?.channel == "app" && evidence?.recordedBy == "channel")
        // The IP and device are sealed, never in clear.
        let sealed = try #require(evidence?.sealedDetails)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("203.0.113.7"))
        #expect(String(decoding: try testProtector.open(sealed), as: UTF8.self) == #"{"device":"D-88","ip":"203.0.113.7"}"#)
        #expect(try book.store.readServicing { try $0.agreement(applicationID: "H-1") }?.signedAt == Instant(iso: "2026-10-01T16:00:00+08:00"))
    }

    @Test func collectionsOutcomesAreRecordedOnceAndRefusedWhenTheyConflict() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        try await withService(book.service) { client in
            let queue = try await client.call(.get, "/v1/collections/queue?date=2026-10-02", key: Keys.collections)
            #expect(queue.status == 200 && object(queue.body)["planned"] as? Bool == false)
            #expect(try await client.call(.get, "/v1/collections/queue?date=tomorrow", key: Keys.collections).status == 400)
            func outcome(_ loan: String, _ result: String, promise: String? = nil) -> ByteBuffer {
                var fields: [String: Any] = ["loan_id": loan, "action": "agent_call", "happened_at": "2026-10-02T10:00:00+08:00", "result": result]
                if let promise { fields["promise_date"] = promise }
                return json(fields)
            }
            let unknown = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-1", outcome("H-9", "contacted"))
            #expect(unknown.status == 404)
            #expect(try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-2", outcome("H-1", "contacted")).status == 201)
            let repeated = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-3", outcome("H-1", "contacted"))
            #expect(repeated.status == 200 && object(repeated.body)["recorded"] as? Bool == false)
            let conflict = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-4", outcome("H-1", "no_answer"))
            #expect(conflict.status == 409)
            let rule = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-5",
                                             outcome("H-1", "contacted", promise: "2026-10-09"))
            #expect(rule.status == 422)
            // A conversation at 10:00 starts the quiet period: a call at 11:00 is refused, with its reason.
            let quiet = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-6",
                                              json(["loan_id": "H-1", "action": "agent_call", "happened_at": "2026-10-02T11:00:00+08:00", "result": "no_answer"]))
            #expect(quiet.status == 422 && errorCode(quiet.body) == "outcome.quiet_period", "\(String(buffer: quiet.body))")
            let night = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "o-7",
                                              json(["loan_id": "H-1", "action": "sms", "happened_at": "2026-10-02T23:30:00+08:00", "result": "no_answer"]))
            #expect(night.status == 422 && errorCode(night.body) == "outcome.outside_hours", "\(String(buffer: night.body))")
            let eod = object(try await client.call(.get, "/v1/eod?date=2026-10-02", key: Keys.servicing).body)
            #expect(eod["post_loan_ran"] as? Bool == false && eod["done"] as? Bool == false)
        }
    }

    /// The queue is the plan checked again now: a conversation recorded at 10:00 takes the same
    /// loan's 11:00 call out of the queue (cancelled, with its reason), and asking again is the same.
    @Test func theQueueLeavesOutACallThatAConversationRecordedSinceForbids() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        let planned = CalendarDay(iso: "2026-10-01")!
        let calls = ["10:00", "11:00"].map { hour in
            PlannedAction(loanId: "H-1", action: .agentCall, channel: .phone, scheduledAt: Instant(iso: "2026-10-02T\(hour):00+08:00")!,
                          utcOffsetSeconds: 8 * 3_600, bucket: "4-15", reason: "ladder")
        }
        try book.store.withCollectionsTransaction { transaction in
            try transaction.insert(run: PostLoanRunRecord(day: planned, actionsPlanned: calls.count))
            _ = try transaction.insert(actions: calls, plannedOn: planned)
        }
        try await withService(book.service) { client in
            func queued() async throws -> [String] {
                let queue = object(try await client.call(.get, "/v1/collections/queue?date=2026-10-02", key: Keys.collections).body)
                #expect(queue["planned"] as? Bool == true)
                return (queue["actions"] as? [[String: Any]] ?? []).compactMap { $0["scheduled_at"] as? String }
            }
            #expect(try await queued() == ["2026-10-02T10:00:00+08:00", "2026-10-02T11:00:00+08:00"])
            let talked = try await client.call(.post, "/v1/collections/outcomes", key: Keys.collections, idempotencyKey: "q-1",
                                               json(["loan_id": "H-1", "action": "agent_call", "happened_at": "2026-10-02T10:00:00+08:00", "result": "contacted"]))
            #expect(talked.status == 201, "\(String(buffer: talked.body))")
            #expect(try await queued() == ["2026-10-02T10:00:00+08:00"], "the call made stays; the one the quiet period forbids goes")
            #expect(try await queued() == ["2026-10-02T10:00:00+08:00"])
        }
        let cancelled = try book.store.readCollections { try $0.cancelledActions(plannedOn: planned) }
        #expect(cancelled.map(\.scheduledAt) == [Instant(iso: "2026-10-02T11:00:00+08:00")!] && cancelled.allSatisfy { $0.reason.contains("quiet") },
                "\(cancelled)")
    }

    @Test func theAuditLogHoldsEveryPostWithItsCallerAndOutcome() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            _ = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.alice, idempotencyKey: "a-1", json(["verdict": "approve"]))
            _ = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.alice, idempotencyKey: "a-2", json(["verdict": "approve"]))
            _ = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.bob, idempotencyKey: "a-3", json(["verdict": "decline"]))
            _ = try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.scoring, idempotencyKey: "a-4", json(["verdict": "decline"]))
            let listed = try await client.call(.get, "/v1/audit", key: Keys.admin)
            let records = object(listed.body)["records"] as? [[String: Any]] ?? []
            #expect(records.map { "\($0["actor"] as? String ?? "") \($0["outcome"] as? String ?? "")" }
                == ["alice 202", "alice 422 review.same_reviewer", "bob 201", "scorer 403 http.forbidden"])
            #expect(records.allSatisfy { $0["action"] as? String == "POST /v1/reviews/{id}/decision" && $0["target"] as? String == "H-4" })
            #expect(try await client.call(.get, "/v1/audit?limit=0", key: Keys.admin).status == 400)
        }
        // Append-only: the log refuses edits.
        #expect(throws: (any Error).self) { try book.store.executeUnchecked("UPDATE audit_log SET actor = 'mallory'") }
    }

    @Test func exportsNeedTheirRoleAndPersonalDataNeedsAdmin() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            #expect(try await client.call(.get, "/v1/exports/loans", key: Keys.collections).status == 403)
            let loans = try await client.call(.get, "/v1/exports/loans", key: Keys.servicing)
            #expect(loans.status == 200 && loans.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(String(buffer: loans.body).hasPrefix("loan_id,line_id,application_id,"))
            let plain = try await client.call(.get, "/v1/exports/decisions", key: Keys.alice)
            #expect(plain.status == 200 && !String(buffer: plain.body).contains("id_number"))
            #expect(try await client.call(.get, "/v1/exports/decisions?personal_data=true", key: Keys.alice).status == 403)
            let personal = try await client.call(.get, "/v1/exports/decisions?personal_data=true", key: Keys.admin)
            #expect(personal.status == 200 && String(buffer: personal.body).contains(residentID(sequence: 1)))
            #expect(try await client.call(.get, "/v1/exports/nothing", key: Keys.admin).status == 404)
        }
    }

    @Test func aWriteOffNeedsASecondPersonAndThenGoesThroughTheLedger() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        let rail = try SimulatedRail(path: ":memory:", clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        _ = try DisburseJob(asOf: CalendarDay(iso: "2026-10-02")!, products: .standard, protector: testProtector).run(store: book.store, rail: rail)
        try await withService(book.service) { client in
            let reason = json(["reason": "deceased, no estate"])
            #expect(try await client.call(.post, "/v1/loans/H-1/write-off", key: Keys.servicing, idempotencyKey: "w-0", reason).status == 403)
            #expect(try await client.call(.post, "/v1/loans/H-9/write-off", key: Keys.collections, idempotencyKey: "w-1", reason).status == 404)
            let asked = try await client.call(.post, "/v1/loans/H-1/write-off", key: Keys.collections, idempotencyKey: "w-2", reason)
            #expect(asked.status == 202 && object(asked.body)["request_id"] as? String == "write_off:H-1")
            let twice = try await client.call(.post, "/v1/loans/H-1/write-off", key: Keys.collections, idempotencyKey: "w-3", reason)
            #expect(twice.status == 409 && errorCode(twice.body) == "write_off.pending")
            let approve = json(["verdict": "approve"])
            let own = try await client.call(.post, "/v1/approvals/write_off:H-1/decision", key: Keys.collections, idempotencyKey: "w-4", approve)
            #expect(own.status == 422 && errorCode(own.body) == "write_off.same_person")
            #expect(try await client.call(.post, "/v1/approvals/write_off:H-1/decision", key: Keys.alice, idempotencyKey: "w-5", approve).status == 403)
            let loanBefore = object(try await client.call(.get, "/v1/loans/H-1", key: Keys.servicing).body)
            #expect(loanBefore["status"] as? String == "active")
            let approved = try await client.call(.post, "/v1/approvals/write_off:H-1/decision", key: Keys.collections2, idempotencyKey: "w-6", approve)
            #expect(approved.status == 200)
            #expect((object(approved.body)["approval"] as? [String: Any])?["decided_by"] as? String == "second collector")
            let loanAfter = object(try await client.call(.get, "/v1/loans/H-1", key: Keys.servicing).body)
            #expect(loanAfter["status"] as? String == "written_off")
            #expect(try await client.call(.post, "/v1/approvals/write_off:H-1/decision", key: Keys.collections2, idempotencyKey: "w-7", approve).status == 404)
            // Reviewers do not see write-off requests; collectors do.
            #expect((object(try await client.call(.get, "/v1/approvals", key: Keys.alice).body)["approvals"] as? [Any])?.count == 0)
            #expect((object(try await client.call(.get, "/v1/approvals", key: Keys.collections).body)["approvals"] as? [Any])?.count == 1)
        }
        let verified = try LedgerVerification.run(store: book.store)
        #expect(verified.holds)
    }

    @Test func schemaValidSpellingsAreAcceptedPercentEncodedIdsAndWholeNumbersInAnyNotation() async throws {
        let book = try await BackOfficeBook()
        try await withService(book.service) { client in
            let approve = json(["verdict": "approve"])
            #expect(try await client.call(.post, "/v1/reviews/H-4/decision", key: Keys.alice, idempotencyKey: "p-1", approve).status == 202)
            // `review:H-4` percent-encoded, as a generated client sends it.
            let decided = try await client.call(.post, "/v1/approvals/review%3AH-4/decision", key: Keys.bob, idempotencyKey: "p-2", approve)
            #expect(decided.status == 200 && object(decided.body)["status"] as? String == "approved", "\(String(buffer: decided.body))")
            let score = try await client.execute(uri: "/v1/score", method: .post, headers: headers(authorization: "Bearer \(Keys.scoring)"),
                                                 body: ByteBuffer(string: #"{"features": {}, "reasons": 2.0}"#)) { $0.status.code }
            // 2.0 is a whole number; the empty features are what is refused (every characteristic is required).
            #expect(score == 400)
            #expect(try await client.call(.get, "/v1/eod?date=2026-10-02T00:00", key: Keys.servicing).status == 400)
        }
        #expect(wholeNumberSpellings.allSatisfy { $0.1 == wholeNumber($0.0) })
    }

    @Test func theServiceRefusesWhatTheDocumentRefuses() async throws {
        let book = try await BackOfficeBook()
        _ = try AgreementJob(products: .standard, protector: testProtector, utcOffsetSeconds: 8 * 3_600).run(.applications(["H-1"]), store: book.store)
        let rail = try SimulatedRail(path: ":memory:", clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        _ = try DisburseJob(asOf: CalendarDay(iso: "2026-10-02")!, products: .standard, protector: testProtector).run(store: book.store, rail: rail)
        try await withService(book.service) { client in
            // A payment years ahead would make one request compute every day in between.
            let far = try await client.call(.post, "/v1/loans/H-1/repayments", key: Keys.servicing, idempotencyKey: "f-1",
                                            json(["payment_id": "P-far", "amount": "10.00", "paid_at": "6729-01-26"]))
            #expect(far.status == 422 && errorCode(far.body) == "repay.too_far_ahead")
            var fields: [String: Any] = applicationFields(8)
            fields["contact_phone"] = false
            let boolean = try await client.call(.post, "/v1/applications", key: Keys.applications, idempotencyKey: "f-2", json(fields))
            #expect(boolean.status == 400 && errorCode(boolean.body) == "apply.field")
            fields = applicationFields(8)
            fields["channel"] = 5
            let number = try await client.call(.post, "/v1/applications", key: Keys.applications, idempotencyKey: "f-3", json(fields))
            #expect(number.status == 400 && errorCode(number.body) == "apply.field")
            var row: [String: Any] = [:]
            for (name, value) in germanCreditRows[0] { row[name] = value }
            row["credit_amount"] = -1.5e300
            let huge = try await client.call(.post, "/v1/score", key: Keys.scoring, json(["features": row]))
            #expect(huge.status == 400 && errorCode(huge.body) == "score.field_value", "\(String(buffer: huge.body))")
            // maxLength counts Unicode scalars: 101 thumbs with a skin tone are 202 of them.
            for reason in [String(repeating: "\u{1F44D}\u{1F3FB}", count: 101), "\u{2028}", " \u{A0} "] {
                let refused = try await client.call(.post, "/v1/loans/H-1/write-off", key: Keys.collections, idempotencyKey: "reason-\(reason.unicodeScalars.count)",
                                                    json(["reason": reason]))
                #expect(refused.status == 400 && errorCode(refused.body) == "write_off.reason", "\(reason.unicodeScalars.count) \(refused.status) \(String(buffer: refused.body))")
            }
        }
    }
}


/// The spellings of whole numbers a JSON client may send, and what they are.
let wholeNumberSpellings: [(String, Int?)] = [("4", 4), ("4.0", 4), ("4e0", 4), ("40e-1", 4), ("4.5", nil), ("1e300", nil), ("x", nil)]
