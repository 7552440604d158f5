import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingModel
import Testing

@Suite struct AuthenticationTests {
    @Test func healthNeedsNoKey() async throws {
        try await withService(makeService()) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func everyOtherRouteWithoutAKeyIs401() async throws {
        let routes: [(String, HTTPRequest.Method)] = [
            ("/metrics", .get), ("/openapi.yaml", .get), ("/v1/score", .post), ("/v1/applications", .post), ("/v1/applications/A-1", .get),
            ("/v1/lines/L-1/draws", .post), ("/v1/loans/L-1/repayments", .post), ("/v1/loans/L-1", .get), ("/no/such/route", .get),
        ]
        try await withService(makeService()) { client in
            for (uri, method) in routes {
                try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri)")
                    #expect(errorCode(response.body) == "http.unauthorized", "\(method) \(uri)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
            }
        }
    }

    @Test func aWrongKeyIs401() async throws {
        try await withService(makeService()) { client in
            for header in ["Bearer wrong", "Bearer \(testKey)x", "Basic \(testKey)", "Bearer ", testKey, "Bearer  \(testKey)"] {
                try await client.execute(uri: "/openapi.yaml", method: .get, headers: [.authorization: header]) { response in
                    #expect(response.status == .unauthorized, "\(header)")
                }
            }
        }
    }

    @Test func theRightKeyIsLetThrough() async throws {
        try await withService(makeService()) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get, headers: [.authorization: "bearer \(testKey)"]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func anUnknownRouteIs404AndAnUndeclaredMethodOnAKnownOne405AsJSON() async throws {
        try await withService(makeService()) { client in
            try await client.execute(uri: "/v2/score", method: .post, headers: authorized) { response in
                #expect(response.status == .notFound)
                #expect(errorCode(response.body) == "http.not_found")
            }
            try await client.execute(uri: "/v1/score", method: .get, headers: authorized) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                #expect(errorCode(response.body) == "http.method_not_allowed")
            }
        }
    }
}

@Suite struct APIKeySetTests {
    @Test func acceptsEachKeyAndNothingElse() {
        let keys = APIKeySet(keys: ["alpha", " beta ", "", "gamma"])
        #expect(keys.count == 3)
        #expect(keys.accepts("alpha"))
        #expect(keys.accepts("beta"))
        #expect(keys.accepts("gamma"))
        #expect(!keys.accepts("alph"))
        #expect(!keys.accepts("alphaa"))
        #expect(!keys.accepts(""))
        #expect(!keys.accepts("Alpha"))
    }

    @Test func readsKeysFromAFileAndTheEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).txt").path
        try "# service keys\nfile-key-1\n\nfile-key-2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let keys = try APIKeySet.load(file: path, environment: ["LENDING_API_KEYS": "env-1,env-2"])
        #expect(keys.count == 4)
        #expect(keys.accepts("file-key-2"))
        #expect(keys.accepts("env-1"))
        #expect(!keys.accepts("# service keys"))
    }

    @Test func refusesToStartWithoutAKey() {
        #expect(throws: HTTPServiceError.self) { try APIKeySet.load(file: nil, environment: [:]) }
        #expect(throws: HTTPServiceError.self) { try APIKeySet.load(file: nil, environment: ["LENDING_API_KEYS": " , "]) }
        do {
            _ = try APIKeySet.load(file: "/nonexistent/keys.txt", environment: ["LENDING_API_KEYS": "k"])
            Issue.record("an unreadable key file must fail")
        } catch {
            #expect(error.code == "keys.read")
        }
    }

    @Test func randomKeysMatchOnlyThemselves() {
        var random = SplitMix64(seed: 7)
        var stored: [String] = []
        for _ in 0..<50 { stored.append(String(random.next(), radix: 36)) }
        let keys = APIKeySet(keys: stored)
        for key in stored { #expect(keys.accepts(key)) }
        for _ in 0..<500 {
            let other = String(random.next(), radix: 36)
            #expect(keys.accepts(other) == stored.contains(other))
        }
    }
}
