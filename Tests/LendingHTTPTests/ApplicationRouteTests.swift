import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingStore
import Testing
import LendingApplications
import LendingMemoryStore

@Suite struct ApplicationRouteTests {
    @Test func decidesStoresAndShowsAnApplication() async throws {
        let store = InMemoryDecisionStore()
        let desk = try makeDesk(store: store, invited: [1])
        try await withService(makeService(desk: desk)) { client in
            let created = try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "k-1"),
                                                   body: json(applicationFields(1))) { response in
                #expect(response.status == .created)
                return object(response.body)
            }
            #expect(created["application_id"] as? String == "H-1")
            #expect(created["outcome"] as? String == "approve")
            #expect(created["approved_limit"] as? String == "5000.00")
            #expect(created["score"] as? Double == 590)
            #expect(created["sequence"] as? Int == 1)
            #expect(created["replayed"] as? Bool == false)
            try await client.execute(uri: "/v1/applications/H-1", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                let shown = object(response.body)
                #expect(shown["outcome"] as? String == "approve")
                #expect(shown["sequence"] as? Int == 1)
                #expect(shown["replayed"] == nil)
            }
        }
        #expect(try store.application("H-1")?.1.outcome == .approve)
    }

    @Test func anUninvitedApplicantIsDeclinedWithAWhitelistReason() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "k-2"),
                                     body: json(applicationFields(2))) { response in
                #expect(response.status == .created)
                #expect(object(response.body)["outcome"] as? String == "decline")
                #expect((object(response.body)["reasons"] as? [String])?.contains { $0.hasPrefix("WL_") } == true)
            }
        }
    }

    @Test func anUnknownApplicationIs404() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications/nope", method: .get, headers: authorized) { response in
                #expect(response.status == .notFound)
                #expect(errorCode(response.body) == "http.not_found")
            }
        }
    }

    @Test func aPostWithoutAnIdempotencyKeyIsRefused() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: authorized, body: json(applicationFields(3))) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "http.idempotency_key_missing")
            }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "has space"),
                                     body: json(applicationFields(3))) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "http.idempotency_key_invalid")
            }
        }
    }

    @Test func aReplayedKeyReturnsTheStoredResponseAndDecidesOnce() async throws {
        let store = InMemoryDecisionStore()
        try await withService(makeService(desk: try makeDesk(store: store, invited: [4]))) { client in
            let first = try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "same"),
                                                 body: json(applicationFields(4))) { $0 }
            let second = try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "same"),
                                                  body: json(applicationFields(4))) { $0 }
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.body == first.body)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(first.headers[.idempotentReplayed] == nil)
        }
        var decisions = 0
        try store.forEachDecision { _ in decisions += 1 }
        #expect(decisions == 1)
    }

    @Test func aKeyReusedWithAnotherBodyIs409() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "k-5"),
                                     body: json(applicationFields(5))) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "k-5"),
                                     body: json(applicationFields(6))) { response in
                #expect(response.status == .conflict)
                #expect(errorCode(response.body) == "idempotency.mismatch")
            }
        }
    }

    @Test func theSameApplicationUnderANewKeyIsAReplayOfItsDecision() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            let first = try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "a"),
                                                 body: json(applicationFields(7))) { object($0.body) }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "b"),
                                     body: json(applicationFields(7))) { response in
                #expect(response.status == .ok)
                #expect(object(response.body)["replayed"] as? Bool == true)
                #expect(object(response.body)["sequence"] as? Int == first["sequence"] as? Int)
            }
        }
    }

    @Test func aChangedApplicationUnderAnExistingIdIs409() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "c"),
                                     body: json(applicationFields(8))) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "d"),
                                     body: json(applicationFields(8, overrides: ["requested_amount": "6000.00"]))) { response in
                #expect(response.status == .conflict)
                #expect(errorCode(response.body) == "apply.conflict")
            }
        }
    }

    @Test func aBadFieldIs400NamingTheField() async throws {
        let cases: [([String: String], String)] = [
            (["applied_at": "yesterday"], "applied_at"), (["requested_amount": "5,000"], "requested_amount"), (["term_months": "0"], "term_months"),
            (["kyc_phone": "maybe"], "kyc_phone"), (["face_score": "101"], "face_score"), (["application_id": ""], "application_id"),
            (["credit_amount": "lots"], "credit_amount"), (["housing": "castle"], "housing"),
        ]
        try await withService(makeService(desk: try makeDesk())) { client in
            for (index, (overrides, field)) in cases.enumerated() {
                try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "bad-\(index)"),
                                         body: json(applicationFields(100 + index, overrides: overrides))) { response in
                    #expect(response.status == .badRequest, "\(field)")
                    #expect(errorMessage(response.body)?.contains("\"\(field)\"") == true, "\(field): \(errorMessage(response.body) ?? "")")
                }
            }
        }
    }

    @Test func anAmountAsAJSONNumberIsRefused() async throws {
        var fields: [String: Any] = applicationFields(9)
        fields["requested_amount"] = 5000
        let body = json(fields)
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "n"), body: body) { response in
                #expect(response.status == .badRequest)
                #expect(errorMessage(response.body)?.contains("requested_amount") == true)
            }
        }
    }

    @Test func aBadRequestDoesNotUseUpTheKey() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "retry"),
                                     body: json(applicationFields(10, overrides: ["term_months": "x"]))) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "retry"),
                                     body: json(applicationFields(10))) { #expect($0.status == .created) }
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withService(makeService(desk: try makeDesk())) { client in
            for (index, body) in ["{\"application_id\": ", "[1]", "\"text\"", "{\"name\": {\"first\": \"x\"}}"].enumerated() {
                try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "m-\(index)"),
                                         body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
        }
    }

    @Test func concurrentDuplicatesHaveOneEffect() async throws {
        let store = InMemoryDecisionStore()
        let service = makeService(desk: try makeDesk(store: store, invited: [11]))
        try await withService(service) { client in
            let statuses = try await withThrowingTaskGroup(of: (Int, ByteBuffer).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "dup"),
                                                 body: json(applicationFields(11))) { ($0.status.code, $0.body) }
                    }
                }
                var all: [(Int, ByteBuffer)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(statuses.count == 20)
            #expect(statuses.allSatisfy { $0.0 == 201 })
            #expect(Set(statuses.map { String(buffer: $0.1) }).count == 1)
        }
        var decisions = 0
        try store.forEachDecision { _ in decisions += 1 }
        #expect(decisions == 1)
    }

    @Test func applicationsAreStoredInSQLiteOnDiskWithTheirChain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("lending.sqlite").path)
        let service = makeService(desk: try makeDesk(store: store, invited: Array(20..<60)))
        try await withService(service) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 20..<60 {
                    group.addTask {
                        try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "sql-\(index)"),
                                                 body: json(applicationFields(index, row: index))) { response in
                            #expect(response.status == .created)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let verification = try DecisionVerification.run(store: store, expectHead: nil)
        #expect(verification.holds)
        #expect(verification.decisions == 40)
        #expect(try store.application("H-59") != nil)
    }

    @Test func withoutADeskApplicationsAre501() async throws {
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "x"), body: json(applicationFields(1))) { response in
                #expect(response.status == .notImplemented)
                #expect(errorCode(response.body) == "http.not_configured")
            }
        }
    }
}
