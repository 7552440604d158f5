import LendingHTTP
import Testing

@Suite struct IdempotencyStoreTests {
    let response = StoredResponse(status: 201, body: Array(#"{"ok":true}"#.utf8))

    @Test func aFirstClaimRunsAndARepeatReplays() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(await store.claim(key: "k", fingerprint: [1]) == .claimed)
        await store.complete(key: "k", response: response)
        #expect(await store.claim(key: "k", fingerprint: [1]) == .replay(response))
        #expect(await store.claim(key: "k", fingerprint: [2]) == .mismatch)
    }

    @Test func aReleasedKeyCanBeClaimedAgain() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(await store.claim(key: "k", fingerprint: [1]) == .claimed)
        await store.release(key: "k")
        #expect(await store.claim(key: "k", fingerprint: [9]) == .claimed)
    }

    @Test func aPendingKeyWithAnotherFingerprintIsAMismatchAtOnce() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(await store.claim(key: "k", fingerprint: [1]) == .claimed)
        #expect(await store.claim(key: "k", fingerprint: [2]) == .mismatch)
    }

    @Test func concurrentRepeatsWaitForTheFirstAndReplay() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(await store.claim(key: "k", fingerprint: [1]) == .claimed)
        let waiters = (0..<10).map { _ in Task { await store.claim(key: "k", fingerprint: [1]) } }
        while await store.waiting(key: "k") < 10 { await Task.yield() }
        await store.complete(key: "k", response: response)
        for waiter in waiters { #expect(await waiter.value == .replay(response)) }
    }

    @Test func aWaiterClaimsAfterTheFirstIsReleased() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(await store.claim(key: "k", fingerprint: [1]) == .claimed)
        let waiter = Task { await store.claim(key: "k", fingerprint: [1]) }
        while await store.waiting(key: "k") < 1 { await Task.yield() }
        await store.release(key: "k")
        #expect(await waiter.value == .claimed)
    }

    @Test func theOldestCompletedKeysGoBeyondCapacity() async throws {
        let store = InMemoryIdempotencyStore(capacity: 3)
        for index in 0..<5 {
            _ = await store.claim(key: "k\(index)", fingerprint: [UInt8(index)])
            await store.complete(key: "k\(index)", response: response)
        }
        #expect(await store.count == 3)
        #expect(await store.claim(key: "k0", fingerprint: [7]) == .claimed)
        #expect(await store.claim(key: "k4", fingerprint: [4]) == .replay(response))
    }
}
