import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingTestSupport
import Testing

@Suite struct MetricsTests {
    @Test func metricsCountRequestsByRouteTemplateAndDecisionsByOutcome() async throws {
        let metrics = ServiceMetrics()
        let service = makeService(desk: try makeDesk(invited: [1]), loans: FakeLoanService(), metrics: metrics)
        let text = try await withService(service) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["features": germanCreditRows[0]])) { _ in }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "m1"), body: json(applicationFields(1))) { _ in }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "m2"), body: json(applicationFields(2))) { _ in }
            try await client.execute(uri: "/v1/applications/H-1", method: .get, headers: authorized) { _ in }
            try await client.execute(uri: "/v1/loans/SECRET-LOAN-77", method: .get, headers: authorized) { _ in }
            try await client.execute(uri: "/v1/nothing/here-42", method: .get, headers: authorized) { _ in }
            return try await client.execute(uri: "/metrics", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                return String(buffer: response.body)
            }
        }
        #expect(text.contains(#"lending_http_requests_total{route="/v1/score",method="POST",status="200"} 1"#))
        #expect(text.contains(#"lending_http_requests_total{route="/v1/applications",method="POST",status="201"} 2"#))
        #expect(text.contains(#"lending_http_requests_total{route="/v1/applications/{id}",method="GET",status="200"} 1"#))
        #expect(text.contains(#"lending_http_requests_total{route="/v1/loans/{id}",method="GET",status="404"} 1"#))
        #expect(text.contains(#"lending_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
        #expect(text.contains(#"lending_http_request_duration_seconds_count{route="/v1/score",method="POST"} 1"#))
        #expect(text.contains(#"lending_http_request_duration_seconds_bucket{route="/v1/score",method="POST",le="+Inf"} 1"#))
        #expect(text.contains(#"lending_decisions_total{outcome="approve"} 1"#))
        #expect(text.contains(#"lending_decisions_total{outcome="decline"} 1"#))
        #expect(text.contains("lending_scores_total 1"))
        for concrete in ["H-1", "SECRET-LOAN-77", "here-42", testKey] { #expect(!text.contains(concrete), "\(concrete)") }
    }
}

@Suite struct OpenAPIDocumentTests {
    @Test func theCompiledInDocumentIsTheCheckedInFile() throws {
        let file = try String(contentsOfFile: FixtureFiles.repositoryRoot + "/docs/openapi.yaml", encoding: .utf8)
        #expect(OpenAPIDocument.yaml == file)
    }

    @Test func theDocumentIsServedAndNamesEveryRoute() async throws {
        let served = try await withService(makeService()) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get, headers: authorized) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
                return String(buffer: response.body)
            }
        }
        // The served document is the checked-in one with the model's characteristics as `Features`.
        #expect(served == OpenAPIDocument.yaml(for: scorecardpyScorer.model))
        #expect(served != OpenAPIDocument.yaml)
        #expect(served.hasPrefix("openapi: 3.1.0"))
        let features = try #require(served.split(separator: "\n").first { $0.hasPrefix("    Features: {") })
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(features.dropFirst("    Features: ".count).utf8)) as? [String: Any])
        let required = Set(schema["required"] as? [String] ?? [])
        // Every characteristic of the example model lacks a missing bin: all twelve are required.
        #expect(required == Set(scorecardpyScorer.model.characteristics.map(\.name)) && required.count == 12)
        for path in ["/health:", "/metrics:", "/openapi.yaml:", "/v1/score:", "/v1/applications:", "/v1/applications/{id}:",
                     "/v1/lines/{id}/draws:", "/v1/loans/{id}/repayments:", "/v1/loans/{id}:"] {
            #expect(served.contains("\n  \(path)\n"), "\(path)")
        }
    }
}

@Suite struct LogPrivacyTests {
    /// Logs of an application's whole life over HTTP (decided, replayed, refused, shown) hold
    /// neither its ID number, its phone nor its name.
    @Test func theLogsOfAnApplicationHoldNoIDNumberPhoneOrName() async throws {
        let capture = LogCapture()
        let fields = applicationFields(1, overrides: ["name": "王小明", "phone": "13912345678", "contact_phone": "13887654321"])
        let idNumber = try #require(fields["id_number"])
        let service = makeService(desk: try makeDesk(invited: [1], logger: capture.logger), logger: capture.logger)
        try await withService(service) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "p1"), body: json(fields)) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "p1"), body: json(fields)) {
                #expect($0.status == .created)
            }
            var changed = fields
            changed["requested_amount"] = "7000.00"
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "p2"), body: json(changed)) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "p1"), body: json(changed)) {
                #expect($0.status == .conflict)
            }
            var broken = fields
            broken["face_score"] = "high"
            broken["application_id"] = "H-1b"
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "p3"), body: json(broken)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v1/applications/H-1", method: .get, headers: authorized) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "p4", authorization: "Bearer \(idNumber)"),
                                     body: json(fields)) { #expect($0.status == .unauthorized) }
        }
        let logs = capture.text
        #expect(logs.contains("application decided"))
        #expect(logs.contains("request refused"))
        #expect(logs.contains("H-1"))
        for secret in [idNumber, String(idNumber.prefix(14)), "13912345678", "13887654321", "王小明", "小明", fields["bank_card"]!] {
            #expect(!logs.contains(secret), "\(secret) appears in the logs")
        }
    }

    /// A refusal that is the request's outcome (kept under its Idempotency-Key and sent as kept)
    /// is logged as refused with its code, like any other refusal.
    @Test func aRefusalKeptUnderItsKeyIsLoggedAsRefused() async throws {
        let capture = LogCapture()
        let fields = applicationFields(1)
        let service = makeService(desk: try makeDesk(invited: [1]), logger: capture.logger)
        try await withService(service) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "k1"), body: json(fields)) {
                #expect($0.status == .created)
            }
            var changed = fields
            changed["requested_amount"] = "7000.00"
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "k2"), body: json(changed)) {
                #expect($0.status == .conflict)
                #expect(String(buffer: $0.body).contains("apply.conflict"))
            }
        }
        let refused = capture.text.split(separator: "\n").filter { $0.contains("request refused") }
        #expect(refused.count == 1)
        #expect(refused.first?.contains("code=apply.conflict") == true)
        #expect(refused.first?.contains("status=409") == true)
    }
}
