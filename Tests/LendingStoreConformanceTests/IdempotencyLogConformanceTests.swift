import LendingModel
import LendingStorePorts
import Testing

@Suite struct IdempotencyLogConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func aRecordedRequestIsReadBackWithItsFingerprintAndResponse(_ kind: StoreKind) async throws {
        let store = try kind.open()
        #expect(try await store.completedRequest(key: "k1") == nil)
        let request = completed("k1", seed: 7, status: 409, body: #"{"error":{"code":"repay.conflict"}}"#)
        try await store.record([request])
        #expect(try await store.completedRequest(key: "k1") == request)
        #expect(try await store.completedRequest(key: "k2") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyRecordedTwiceKeepsItsFirstRecord(_ kind: StoreKind) async throws {
        let store = try kind.open()
        try await store.record([completed("k", seed: 1, body: "first"), completed("k", seed: 9, body: "same batch")])
        try await store.record([completed("k", seed: 2, body: "second"), completed("other", seed: 3)])
        #expect(try await store.completedRequest(key: "k") == completed("k", seed: 1, body: "first"))
        #expect(try await store.completedRequest(key: "other") == completed("other", seed: 3))
    }

    @Test(arguments: StoreKind.allCases)
    func forgettingCountsTheKeysReceivedBeforeAnInstant(_ kind: StoreKind) async throws {
        let store = try kind.open()
        try await store.record([completed("old", at: 1_000), completed("edge", at: 2_000), completed("new", at: 3_000)])
        #expect(try await store.forgetRequests(receivedBefore: Instant(secondsSinceEpoch: 2_000)) == 1)
        #expect(try await store.forgetRequests(receivedBefore: Instant(secondsSinceEpoch: 2_000)) == 0)
        #expect(try await store.completedRequest(key: "old") == nil)
        #expect(try await store.completedRequest(key: "edge") != nil)
        #expect(try await store.forgetRequests(receivedBefore: Instant(secondsSinceEpoch: 3_001)) == 2)
        // A forgotten key may be used again, for another request.
        try await store.record([completed("old", seed: 4, at: 4_000)])
        #expect(try await store.completedRequest(key: "old") == completed("old", seed: 4, at: 4_000))
    }

    @Test(arguments: StoreKind.allCases)
    func aMalformedRequestIsRefusedWithItsWholeBatch(_ kind: StoreKind) async throws {
        let store = try kind.open()
        let short = CompletedRequest(key: "short", fingerprint: [1, 2, 3], status: 201, body: [], receivedAt: epoch)
        await #expect(throws: (any Error).self) { try await store.record([completed("good"), short]) }
        await #expect(throws: (any Error).self) { try await store.record([completed("status", status: 42)]) }
        await #expect(throws: (any Error).self) { try await store.record([completed("")]) }
        await #expect(throws: (any Error).self) { try await store.record([completed(String(repeating: "k", count: 256))]) }
        #expect(try await store.completedRequest(key: "good") == nil)
        #expect(try await store.completedRequest(key: "status") == nil)
        try await store.record([completed(String(repeating: "k", count: 255))])
        #expect(try await store.completedRequest(key: String(repeating: "k", count: 255)) != nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyCommitsAndRollsBackWithTheDecisionTransaction(_ kind: StoreKind) async throws {
        let store = try kind.open()
        #expect(throws: Refused.self) {
            try store.withTransaction { transaction throws in
                try #require(transaction as? any IdempotencyRecording).record([completed("lost")])
                try storeApplicationInside(transaction, "A-lost")
                throw Refused()
            }
        }
        try store.withTransaction { transaction throws in
            try storeApplicationInside(transaction, "A")
            try #require(transaction as? any IdempotencyRecording).record([completed("kept")])
        }
        #expect(try await store.completedRequest(key: "lost") == nil)
        #expect(try await store.completedRequest(key: "kept") == completed("kept"))
        #expect(try store.application("A") != nil && store.application("A-lost") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyCommitsAndRollsBackWithTheServicingTransaction(_ kind: StoreKind) async throws {
        let store = try kind.open()
        #expect(throws: Refused.self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(repayment: repayment("P-lost", loan: "L1"))
                try #require(transaction as? any IdempotencyRecording).record([completed("lost")])
                throw Refused()
            }
        }
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(repayment: repayment("P1", loan: "L1"))
            try #require(transaction as? any IdempotencyRecording).record([completed("kept")])
        }
        #expect(try await store.completedRequest(key: "lost") == nil)
        #expect(try await store.completedRequest(key: "kept") == completed("kept"))
        #expect(try store.readServicing { try $0.repayment(paymentID: "P-lost") } == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyCommitsAndRollsBackWithTheCollectionsTransaction(_ kind: StoreKind) async throws {
        let store = try kind.open()
        #expect(throws: Refused.self) {
            try store.withCollectionsTransaction { transaction throws in
                try #require(transaction as? any IdempotencyRecording).record([completed("lost")])
                throw Refused()
            }
        }
        try store.withCollectionsTransaction { try #require($0 as? any IdempotencyRecording).record([completed("kept")]) }
        #expect(try await store.completedRequest(key: "lost") == nil)
        #expect(try await store.completedRequest(key: "kept") == completed("kept"))
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyRecordedInATransactionKeepsAnEarlierRecord(_ kind: StoreKind) async throws {
        let store = try kind.open()
        try await store.record([completed("k", seed: 1, body: "from the log")])
        try store.withServicingTransaction { try #require($0 as? any IdempotencyRecording).record([completed("k", seed: 2, body: "in a transaction")]) }
        #expect(try await store.completedRequest(key: "k") == completed("k", seed: 1, body: "from the log"))
    }

    @Test(arguments: StoreKind.allCases)
    func aMalformedKeyInATransactionRollsItBack(_ kind: StoreKind) async throws {
        let store = try kind.open()
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(repayment: repayment("P1", loan: "L1"))
                try #require(transaction as? any IdempotencyRecording).record([completed("bad", status: 700)])
            }
        }
        #expect(try store.readServicing { try $0.repayment(paymentID: "P1") } == nil)
        #expect(try await store.completedRequest(key: "bad") == nil)
    }
}

/// Stores one approved application and its first decision in `transaction`.
private func storeApplicationInside(_ transaction: any DecisionTransaction, _ id: String) throws {
    let spec = ApplicationSpec(id: id)
    let record = decision(for: spec, after: try transaction.chainHead())
    try transaction.insert(application(for: spec, sequence: record.sequence), decision: record)
}
