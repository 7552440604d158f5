import Foundation
import LendingModel
import LendingStore
import Testing
import LendingStorePorts

/// A completed request with a 32-byte fingerprint made of `seed`.
func completed(_ key: String, seed: UInt8 = 1, status: Int = 201, body: String = #"{"ok":true}"#, at seconds: Int64 = 1_790_000_000) -> CompletedRequest {
    CompletedRequest(key: key, fingerprint: Array(repeating: seed, count: 32), status: status, body: Array(body.utf8),
                     receivedAt: Instant(secondsSinceEpoch: seconds))
}

/// Where the log's tests run: SQLite in memory and in a file.
enum LogPlace: String, CaseIterable, Sendable {
    case memory, disk

    func open(_ name: String) throws -> SQLiteStore {
        try SQLiteStore(path: self == .memory ? ":memory:" : freshDatabase("idempotency-\(name)"))
    }
}

@Suite struct IdempotencyLogTests {
    @Test(arguments: LogPlace.allCases) func aRecordedRequestIsReadBackWithItsFingerprintAndResponse(place: LogPlace) async throws {
        let store = try place.open("read-back")
        #expect(try await store.completedRequest(key: "k1") == nil)
        let request = completed("k1", seed: 7, status: 409, body: #"{"error":{"code":"repay.conflict","message":"…"}}"#)
        try await store.record([request])
        #expect(try await store.completedRequest(key: "k1") == request)
        #expect(try await store.completedRequest(key: "k2") == nil)
        #expect(try store.idempotencyKeyCount() == 1)
    }

    @Test(arguments: LogPlace.allCases) func aKeyRecordedTwiceKeepsItsFirstRecord(place: LogPlace) async throws {
        let store = try place.open("first-record")
        try await store.record([completed("k", seed: 1, body: "first")])
        try await store.record([completed("k", seed: 2, body: "second"), completed("other", seed: 3)])
        #expect(try await store.completedRequest(key: "k") == completed("k", seed: 1, body: "first"))
        #expect(try store.idempotencyKeyCount() == 2)
    }

    @Test func keysSurviveReopeningTheDatabase() async throws {
        let path = freshDatabase("idempotency-reopen")
        try await SQLiteStore(path: path).record([completed("k", seed: 4)])
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.completedRequest(key: "k") == completed("k", seed: 4))
    }

    @Test(arguments: LogPlace.allCases) func aKeyCommitsWithTheDecisionTransactionThatRecordedIt(place: LogPlace) async throws {
        let store = try place.open("decision-commit")
        try store.withTransaction { transaction in
            let recorder = try #require(transaction as? any IdempotencyRecording)
            try recorder.record([completed("kept")])
        }
        #expect(try await store.completedRequest(key: "kept") == completed("kept"))
    }

    @Test(arguments: LogPlace.allCases) func aKeyRollsBackWithTheServicingTransactionThatRecordedIt(place: LogPlace) async throws {
        let store = try place.open("servicing-rollback")
        struct Abandoned: Error {}
        #expect(throws: Abandoned.self) {
            try store.withServicingTransaction { transaction in
                let recorder = try #require(transaction as? any IdempotencyRecording)
                try recorder.record([completed("lost")])
                throw Abandoned()
            }
        }
        #expect(try await store.completedRequest(key: "lost") == nil)
        try store.withServicingTransaction { transaction in
            try #require(transaction as? any IdempotencyRecording).record([completed("kept")])
        }
        #expect(try await store.completedRequest(key: "kept") == completed("kept"))
    }

    @Test(arguments: LogPlace.allCases) func oldKeysAreForgotten(place: LogPlace) async throws {
        let store = try place.open("forget")
        try await store.record([completed("old", at: 1_000), completed("edge", at: 2_000), completed("new", at: 3_000)])
        #expect(try await store.forgetRequests(receivedBefore: Instant(secondsSinceEpoch: 2_000)) == 1)
        #expect(try await store.completedRequest(key: "old") == nil)
        #expect(try await store.completedRequest(key: "edge") != nil)
        #expect(try store.idempotencyKeyCount() == 2)
    }

    @Test func aFingerprintThatIsNotASHA256IsRefusedByTheSchema() async throws {
        let store = try SQLiteStore(path: ":memory:")
        let short = CompletedRequest(key: "k", fingerprint: [1, 2, 3], status: 201, body: [], receivedAt: Instant(secondsSinceEpoch: 0))
        await #expect(throws: StoreError.self) { try await store.record([short]) }
        #expect(try store.idempotencyKeyCount() == 0)
    }
}
