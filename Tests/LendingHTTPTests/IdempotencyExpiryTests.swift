import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingModel
import LendingStore
import Synchronization
import Testing
import LendingStorePorts

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Instant>

    init(_ start: Instant) { current = Mutex(start) }

    var now: Instant { current.withLock { $0 } }

    func advance(days: Int) { current.withLock { $0 = Instant(secondsSinceEpoch: $0.secondsSinceEpoch + Int64(days) * 86_400) } }
}

@Suite struct IdempotencyExpiryTests {
    let start = Instant(secondsSinceEpoch: 1_790_000_000)
    let response = StoredResponse(status: 201, body: Array(#"{"ok":true}"#.utf8))

    /// A key older than the days kept is forgotten in memory and in the log (a new request may
    /// use it); a fresh one still replays.
    @Test func anExpiredKeyIsForgottenAndAFreshOneKept() async throws {
        let log = MemoryIdempotencyLog()
        let store = InMemoryIdempotencyStore(log: log)
        let clock = TestClock(start)
        #expect(try await store.claim(key: "old", fingerprint: [1]) == .claimed)
        await store.complete(IdempotencyTicket(key: "old", fingerprint: [1], receivedAt: clock.now), response: response)
        clock.advance(days: 25)
        #expect(try await store.claim(key: "fresh", fingerprint: [2]) == .claimed)
        await store.complete(IdempotencyTicket(key: "fresh", fingerprint: [2], receivedAt: clock.now), response: response)
        clock.advance(days: 10)
        let expiry = IdempotencyExpiry(store: store, days: 30, clock: { clock.now })
        #expect(expiry.cutoff == Instant(secondsSinceEpoch: start.secondsSinceEpoch + 5 * 86_400))
        #expect(try await expiry.expire() == 1)
        #expect(await log.records.map(\.key) == ["fresh"])
        #expect(try await store.claim(key: "old", fingerprint: [9]) == .claimed)
        #expect(try await store.claim(key: "fresh", fingerprint: [2]) == .replay(response))
    }

    /// Without a log, the keys in memory expire all the same.
    @Test func keysInMemoryAloneExpire() async throws {
        let store = InMemoryIdempotencyStore()
        #expect(try await store.claim(key: "old", fingerprint: [1]) == .claimed)
        await store.complete(IdempotencyTicket(key: "old", fingerprint: [1], receivedAt: start), response: response)
        #expect(try await store.claim(key: "running", fingerprint: [3]) == .claimed)
        let later = Instant(secondsSinceEpoch: start.secondsSinceEpoch + 31 * 86_400)
        #expect(try await IdempotencyExpiry(store: store, days: 30, clock: { later }).expire() == 1)
        #expect(try await store.claim(key: "old", fingerprint: [2]) == .claimed)
        #expect(await store.isRunning(key: "running"))
    }

    /// Run as a service, the expiry makes a pass as soon as it starts (then sleeps a day, until
    /// cancelled or shut down).
    @Test func theServiceExpiresKeysWhenItStarts() async throws {
        let log = MemoryIdempotencyLog()
        try await log.record([CompletedRequest(key: "old", fingerprint: [1], status: 201, body: [], receivedAt: start)])
        let later = Instant(secondsSinceEpoch: start.secondsSinceEpoch + 40 * 86_400)
        let expiry = IdempotencyExpiry(store: InMemoryIdempotencyStore(log: log), days: 30, clock: { later })
        let running = Task { try await expiry.run() }
        while !(await log.records.isEmpty) { await Task.yield() }
        running.cancel()
        try await running.value
    }

    /// Over HTTP with SQLite: keys are dated by the service's clock, and the service's expiry
    /// forgets those older than its days in the database; 0 days keeps them forever.
    @Test func theServiceForgetsKeysOlderThanItsDaysInSQLite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("lending.sqlite").path)
        let clock = TestClock(start)
        let service = LendingService(scorer: scorecardpyScorer, keys: APIKeySet(keys: [testKey]), desk: try makeDesk(store: store, invited: [1, 2]),
                                     idempotency: InMemoryIdempotencyStore(log: store), clock: { clock.now }, idempotencyDays: 30)
        try await withService(service) { client in
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "old"), body: json(applicationFields(1))) {
                #expect($0.status == .created)
            }
            clock.advance(days: 40)
            try await client.execute(uri: "/v1/applications", method: .post, headers: headers(idempotencyKey: "fresh"), body: json(applicationFields(2))) {
                #expect($0.status == .created)
            }
        }
        clock.advance(days: 5)
        let expiry = try #require(service.idempotencyExpiry)
        #expect(expiry.days == 30)
        #expect(try await expiry.expire() == 1)
        #expect(try await store.completedRequest(key: "old") == nil)
        #expect(try await store.completedRequest(key: "fresh")?.receivedAt == clock.now.adding(days: -5))

        var forever = service
        forever.idempotencyDays = 0
        #expect(forever.idempotencyExpiry == nil)
    }
}

extension Instant {
    fileprivate func adding(days: Int) -> Instant { Instant(secondsSinceEpoch: secondsSinceEpoch + Int64(days) * 86_400) }
}
