import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingScoring
import LendingTestSupport
import Testing
import LendingBatchScoring

@Suite struct ScoreRouteTests {
    @Test func scoresOneApplicantWithReasons() async throws {
        let expected = try scorecardpyScorer.score(row: germanCreditRows[0], reasons: 4)
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["features": germanCreditRows[0]])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let body = object(response.body)
                #expect(body["score"] as? Double == expected.score)
                #expect(body["score"] as? Double == 590)
                #expect(body["probability"] as? Double == 0.057011)
                let reasons = (body["reasons"] as? [[String: Any]])?.compactMap { $0["characteristic"] as? String }
                #expect(reasons == ["status_of_existing_checking_account", "credit_amount", "age_in_years", "purpose"])
            }
        }
    }

    @Test func numbersAndStringsScoreAlike() async throws {
        var typed: [String: Any] = germanCreditRows[1]
        typed["credit_amount"] = 5951
        typed["duration_in_month"] = 48.0
        typed["age_in_years"] = 22
        let typedBody = json(["features": typed])
        try await withService(makeService()) { client in
            let fromText = try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["features": germanCreditRows[1]])) { object($0.body) }
            let fromNumbers = try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: typedBody) { object($0.body) }
            #expect(fromText["score"] as? Double == 408)
            #expect(fromNumbers["score"] as? Double == 408)
            #expect(fromNumbers["probability"] as? Double == fromText["probability"] as? Double)
        }
    }

    @Test func reasonsCountIsTheCallersChoice() async throws {
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["features": germanCreditRows[0], "reasons": 0])) { response in
                #expect(response.status == .ok)
                #expect((object(response.body)["reasons"] as? [Any])?.count == 0)
            }
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["features": germanCreditRows[0], "reasons": 65])) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "score.reasons")
            }
        }
    }

    /// Every row of German Credit over HTTP equals `lending score` (its job, BatchScoreJob) on the file.
    @Test func scoresOverHTTPEqualTheBatchScorerOnEveryGermanCreditRow() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("http-scores-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let job = BatchScoreJob(model: scorecardpyScorer.compiled, inputPath: FixtureFiles.fixture("german-credit.csv"), outputPath: output, reasons: 4)
        _ = try job.run()
        let csv = readCSV(output)
        #expect(csv.header == ["row", "score", "probability", "reason_1", "reason_2", "reason_3", "reason_4"])
        #expect(csv.rows.count == 1_000)
        let compared = try await withService(makeService()) { client in
            var compared = 0
            for start in stride(from: 0, to: germanCreditRows.count, by: 250) {
                let rows = Array(germanCreditRows[start..<min(start + 250, germanCreditRows.count)])
                let results = try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["rows": rows])) { response in
                    #expect(response.status == .ok)
                    return object(response.body)["results"] as? [[String: Any]] ?? []
                }
                #expect(results.count == rows.count)
                for (offset, result) in results.enumerated() {
                    let expected = csv.rows[start + offset]
                    let score = try #require(result["score"] as? Double)
                    #expect(score == Double(expected[1]), "row \(start + offset + 1)")
                    #expect(result["probability"] as? Double == Double(expected[2]), "row \(start + offset + 1)")
                    let reasons = (result["reasons"] as? [[String: Any]])?.compactMap { $0["characteristic"] as? String }
                    #expect(reasons == Array(expected[3...6]), "row \(start + offset + 1)")
                    compared += 1
                }
            }
            return compared
        }
        #expect(compared == 1_000)
    }

    @Test func malformedJSONIsABadRequest() async throws {
        try await withService(makeService()) { client in
            for body in ["{", "", "not json", "{\"features\": [1, 2]}", "[]", "{\"features\": {\"credit_amount\": {}}}"] {
                try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(errorCode(response.body) != nil, "\(body)")
                }
            }
        }
    }

    @Test func aBadNumberNamesTheCharacteristic() async throws {
        var features = germanCreditRows[0]
        features["credit_amount"] = "12,000"
        let body = json(["features": features])
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: body) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "scoring.bad_number")
                #expect(errorMessage(response.body)?.contains("credit_amount") == true)
            }
        }
    }

    @Test func aMissingCharacteristicWithoutAMissingBinIsABadRequest() async throws {
        var features = germanCreditRows[0]
        features["housing"] = nil
        let body = json(["rows": [germanCreditRows[1], features]])
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: body) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "scoring.missing_value")
                #expect(errorMessage(response.body)?.hasPrefix("rows[1]: \"housing\"") == true)
            }
        }
    }

    @Test func featuresAndRowsTogetherAreRefused() async throws {
        try await withService(makeService()) { client in
            for body in [json(["features": germanCreditRows[0], "rows": [germanCreditRows[0]]]), json([String: String]())] {
                try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: body) { response in
                    #expect(response.status == .badRequest)
                    #expect(errorCode(response.body) == "score.body")
                }
            }
        }
    }

    @Test func tooManyRowsAreRefused() async throws {
        var service = makeService()
        service.maximumRows = 3
        try await withService(service) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["rows": Array(germanCreditRows[0..<4])])) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "score.too_many_rows")
            }
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        var service = makeService()
        service.maximumBodyBytes = 1_000
        try await withService(service) { client in
            try await client.execute(uri: "/v1/score", method: .post, headers: authorized, body: json(["rows": Array(germanCreditRows[0..<10])])) { response in
                #expect(response.status == .contentTooLarge)
                #expect(errorCode(response.body) == "http.too_large")
            }
        }
    }
}
