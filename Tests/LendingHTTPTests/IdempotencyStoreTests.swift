import LendingHTTP
import LendingModel
import Testing
import LendingStorePorts

func ticket(_ key: String, _ fingerprint: [UInt8]) -> IdempotencyTicket {
    IdempotencyTicket(key: key, fingerprint: fingerprint, receivedAt: Instant(secondsSinceEpoch: 1_790_000_000))
}

@Suite struct IdempotencyStoreTests {
    let response = StoredResponse(status: 201, body: Array(#"{"ok":true}"#.utf8))

    @Test func aFirstClaimRunsAndARepeatReplays() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
        await store.complete(ticket("k", [1]), response: response)
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .replay(response))
        #expect(try await store.claim(key: "k", fingerprint: [2]) == .mismatch)
    }

    @Test func aReleasedKeyCanBeClaimedAgain() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
        await store.release(key: "k")
        #expect(try await store.claim(key: "k", fingerprint: [9]) == .claimed)
    }

    @Test func aPendingKeyWithAnotherFingerprintIsAMismatchAtOnce() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
        #expect(try await store.claim(key: "k", fingerprint: [2]) == .mismatch)
    }

    @Test func concurrentRepeatsWaitForTheFirstAndReplay() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
        let waiters = (0..<10).map { _ in Task { try await store.claim(key: "k", fingerprint: [1]) } }
        while await store.waiting(key: "k") < 10 { await Task.yield() }
        await store.complete(ticket("k", [1]), response: response)
        for waiter in waiters { #expect(try await waiter.value == .replay(response)) }
    }

    @Test func aWaiterClaimsAfterTheFirstIsReleased() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
        let waiter = Task { try await store.claim(key: "k", fingerprint: [1]) }
        while await store.waiting(key: "k") < 1 { await Task.yield() }
        await store.release(key: "k")
        #expect(try await waiter.value == .claimed)
    }

    @Test func theOldestCompletedKeysGoBeyondCapacity() async throws {
        let store = InMemoryIdempotencyStore(capacity: 3)
        for index in 0..<5 {
            _ = try await store.claim(key: "k\(index)", fingerprint: [UInt8(index)])
            await store.complete(ticket("k\(index)", [UInt8(index)]), response: response)
        }
        #expect(await store.count == 3)
        #expect(try await store.claim(key: "k0", fingerprint: [7]) == .claimed)
        #expect(try await store.claim(key: "k4", fingerprint: [4]) == .replay(response))
    }

    // MARK: With a durable log

    @Test func aKeyCompletedBeforeARestartReplaysFromTheLog() async throws {
        let log = MemoryIdempotencyLog()
        let first = InMemoryIdempotencyStore(log: log)
        #expect(try await first.claim(key: "k", fingerprint: [1]) == .claimed)
        await first.complete(ticket("k", [1]), response: response)
        #expect(await log.records == [CompletedRequest(key: "k", fingerprint: [1], status: 201, body: response.body,
                                                       receivedAt: Instant(secondsSinceEpoch: 1_790_000_000))])
        let restarted = InMemoryIdempotencyStore(log: log)
        #expect(try await restarted.claim(key: "k", fingerprint: [1]) == .replay(response))
        #expect(try await restarted.claim(key: "k", fingerprint: [2]) == .mismatch)
        #expect(await log.lookups == 2)
    }

    @Test func aKeyRecordedWithItsRecordIsNotWrittenAgain() async throws {
        let log = MemoryIdempotencyLog()
        let store = InMemoryIdempotencyStore(log: log)
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
        let recorded = ticket("k", [1])
        recorded.markRecorded(response)
        await store.complete(recorded, response: response)
        #expect(await log.records.isEmpty)
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .replay(response))
    }

    @Test func aKeyDroppedFromMemoryIsFoundInTheLog() async throws {
        let log = MemoryIdempotencyLog()
        let store = InMemoryIdempotencyStore(capacity: 1, log: log)
        for index in 0..<3 {
            #expect(try await store.claim(key: "k\(index)", fingerprint: [UInt8(index)]) == .claimed)
            await store.complete(ticket("k\(index)", [UInt8(index)]), response: response)
        }
        #expect(await store.count == 1)
        #expect(try await store.claim(key: "k0", fingerprint: [0]) == .replay(response))
        #expect(try await store.claim(key: "k0", fingerprint: [9]) == .mismatch)
    }

    @Test func claimsArrivingDuringALookupWaitAndTheKeyRunsOnce() async throws {
        let log = MemoryIdempotencyLog(holdLookups: true)
        let store = InMemoryIdempotencyStore(log: log)
        let claims = (0..<8).map { _ in Task { try await store.claim(key: "k", fingerprint: [1]) } }
        while await store.waiting(key: "k") < 7 { await Task.yield() }
        #expect(await log.lookups == 1)
        await log.releaseLookups()
        // One claim runs; the others wait for it and then replay.
        while true {
            let running = await store.isRunning(key: "k")
            if running, await store.waiting(key: "k") == 7 { break }
            await Task.yield()
        }
        await store.complete(ticket("k", [1]), response: response)
        var outcomes: [IdempotencyClaim] = []
        for claim in claims { outcomes.append(try await claim.value) }
        #expect(outcomes.filter { $0 == .claimed }.count == 1)
        #expect(outcomes.filter { $0 == .replay(response) }.count == 7)
        #expect(await log.lookups == 1)
    }

    @Test func aFailedLookupLeavesTheKeyFree() async throws {
        let log = MemoryIdempotencyLog()
        await log.failLookups(true)
        let store = InMemoryIdempotencyStore(log: log)
        await #expect(throws: LendingError.self) { try await store.claim(key: "k", fingerprint: [1]) }
        #expect(await store.count == 0)
        await log.failLookups(false)
        #expect(try await store.claim(key: "k", fingerprint: [1]) == .claimed)
    }
}

/// An ``IdempotencyLog`` in memory that counts lookups, and can hold them (to test waiters) or fail them.
actor MemoryIdempotencyLog: IdempotencyLog {
    private(set) var records: [CompletedRequest] = []
    private(set) var lookups = 0
    private var holding: Bool
    private var held: [CheckedContinuation<Void, Never>] = []
    private var failing = false

    init(holdLookups: Bool = false) { holding = holdLookups }

    func completedRequest(key: String) async throws -> CompletedRequest? {
        lookups += 1
        if failing { throw LendingError(code: "store.test", message: "the log is down") }
        if holding { await withCheckedContinuation { held.append($0) } }
        return records.first { $0.key == key }
    }

    func record(_ requests: [CompletedRequest]) async throws {
        for request in requests where !records.contains(where: { $0.key == request.key }) { records.append(request) }
    }

    func forgetRequests(receivedBefore instant: Instant) async throws -> Int {
        let before = records.count
        records.removeAll { $0.receivedAt < instant }
        return before - records.count
    }

    func releaseLookups() {
        holding = false
        for continuation in held { continuation.resume() }
        held = []
    }

    func failLookups(_ fail: Bool) { failing = fail }
}
