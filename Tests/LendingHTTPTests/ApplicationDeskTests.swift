import Dispatch
import Foundation
import LendingDecisioning
import LendingModel
@testable import LendingHTTP
import Synchronization
import Testing
import LendingStorePorts
import LendingApplications
import LendingMemoryStore

/// An in-memory store that counts transactions and can hold the next one until released.
final class GatedStore: DecisionStore {
    let inner = InMemoryDecisionStore()
    let transactions = Mutex(0)
    let holdNext = Mutex(false)
    let entered = DispatchSemaphore(value: 0)
    let gate = DispatchSemaphore(value: 0)
    let failNext = Mutex(false)

    func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T {
        transactions.withLock { $0 += 1 }
        if holdNext.withLock({ hold in defer { hold = false }; return hold }) {
            entered.signal()
            gate.wait()
        }
        if failNext.withLock({ fail in defer { fail = false }; return fail }) {
            throw LendingError(code: "store.test", message: "the disk is full")
        }
        return try inner.withTransaction(body)
    }

    func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws { try inner.forEachDecision(body) }
    func applicationsWithoutDecision() throws -> [String] { try inner.applicationsWithoutDecision() }
    func openReviews() throws -> [ReviewItem] { try inner.openReviews() }
    func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)? { try inner.application(applicationID) }
    func whitelistCount() throws -> Int { try inner.whitelistCount() }
    func history(since: Instant) throws -> [HistoricApplication] { try inner.history(since: since) }
    func blacklist() throws -> [BlacklistEntry] { try inner.blacklist() }
    func blacklistRevision() throws -> Int64 { try inner.blacklistRevision() }
    func chainHead() throws -> DecisionRecord? { try inner.chainHead() }
    func decisions(after sequence: Int64, limit: Int) throws -> [ChainedDecision] { try inner.decisions(after: sequence, limit: limit) }
}

func input(_ desk: ApplicationDesk, _ fields: [String: String]) throws -> ApplicationInput {
    try desk.reader.read { fields[$0] }
}

/// Waits on a semaphore without blocking a cooperative thread.
func wait(_ semaphore: DispatchSemaphore) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            semaphore.wait()
            continuation.resume()
        }
    }
}

@Suite struct ApplicationDeskTests {
    @Test func applicationsArrivingDuringACommitAreDecidedTogetherInTheNextTransaction() async throws {
        let store = GatedStore()
        let desk = try makeDesk(store: store, invited: Array(1...31))
        let before = store.transactions.withLock { $0 }
        store.holdNext.withLock { $0 = true }
        let first = Task { try await desk.decide(try input(desk, applicationFields(1))) }
        await wait(store.entered)
        let rest = (2...31).map { index in Task { try await desk.decide(try input(desk, applicationFields(index, row: index))) } }
        var polls = 0
        while desk.waitingCount < 30 && polls < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            polls += 1
        }
        #expect(desk.waitingCount == 30)
        store.gate.signal()
        let firstDecision = try await first.value
        var sequences = [firstDecision.record.sequence]
        for task in rest { sequences.append(try await task.value.record.sequence) }
        #expect(store.transactions.withLock { $0 } - before == 2)
        // The first was decided alone; the 30 that waited, together, in the order they arrived.
        #expect(sequences[0] == 1)
        #expect(sequences.sorted() == Array(1...31))
        #expect(try DecisionVerification.run(store: store).holds)
        await desk.shutdown()
    }

    @Test func eachCallerGetsItsOwnDecision() async throws {
        let desk = try makeDesk(invited: [3])
        async let approved = desk.decide(try input(desk, applicationFields(3)))
        async let declined = desk.decide(try input(desk, applicationFields(4)))
        #expect(try await approved.record.applicationID == "H-3")
        #expect(try await approved.record.outcome == .approve)
        #expect(try await declined.record.applicationID == "H-4")
        #expect(try await declined.record.outcome == .decline)
        await desk.shutdown()
    }

    @Test func aFailedTransactionFailsItsCallersAndTheNextOneSucceeds() async throws {
        let store = GatedStore()
        let desk = try makeDesk(store: store, invited: [5, 6])
        store.failNext.withLock { $0 = true }
        await #expect(throws: LendingError.self) { try await desk.decide(try input(desk, applicationFields(5))) }
        let decided = try await desk.decide(try input(desk, applicationFields(6)))
        #expect(decided.record.sequence == 1)
        #expect(try store.application("H-5") == nil)
        await desk.shutdown()
    }

    @Test func afterShutdownApplicationsAreRefusedWith503() async throws {
        let desk = try makeDesk()
        await desk.shutdown()
        do {
            _ = try await desk.decide(try input(desk, applicationFields(7)))
            Issue.record("a closed desk must refuse")
        } catch let error as HTTPServiceError {
            #expect(error.status == .serviceUnavailable)
        }
    }
}
