import LendingDisbursement
import LendingModel
import Synchronization

/// A payment rail in memory that behaves as the simulated rail (`SimulatedRail`, LendingStore)
/// does over its file, for job tests that need no SQLite: it executes each payout key at most
/// once and answers the same for the same key; it refuses a key with probability `failRate` and
/// loses the answer to an executed key (``RailAnswer/noAnswer``; the key is then recorded as
/// paid) with probability `timeoutRate`, each key's fate drawn from the seed and the key exactly
/// as the simulated rail draws it; it refuses a request without an account (`no_account`).
///
/// ``reopened(failRate:timeoutRate:seed:)`` gives a rail over the same records with other faults,
/// as opening the simulated rail's file again would. A batch is executed whole or, when it
/// throws (a key reused for another amount), not at all.
public final class MemoryRail: PaymentRail, Sendable {
    /// What the rail has executed or refused, in that order; shared by the rails reopened over it.
    final class Records: Sendable {
        struct Table {
            var list: [RailRecord] = []
            var index: [String: Int] = [:]
        }

        let table = Mutex(Table())
    }

    private let records: Records
    public let failRate: Double
    public let timeoutRate: Double
    public let seed: UInt64
    let clock: @Sendable () -> Instant

    /// A rail with no records.
    /// - Parameter clock: the time recorded with each key (by default a fixed instant).
    public convenience init(failRate: Double = 0, timeoutRate: Double = 0, seed: UInt64 = 1,
                            clock: @escaping @Sendable () -> Instant = { Instant(secondsSinceEpoch: 1_790_000_000) }) {
        self.init(records: Records(), failRate: failRate, timeoutRate: timeoutRate, seed: seed, clock: clock)
    }

    private init(records: Records, failRate: Double, timeoutRate: Double, seed: UInt64, clock: @escaping @Sendable () -> Instant) {
        self.records = records
        self.failRate = failRate
        self.timeoutRate = timeoutRate
        self.seed = seed
        self.clock = clock
    }

    /// A rail over the same records (what this one and those reopened from it executed), with other faults.
    public func reopened(failRate: Double = 0, timeoutRate: Double = 0, seed: UInt64 = 1) -> MemoryRail {
        MemoryRail(records: records, failRate: failRate, timeoutRate: timeoutRate, seed: seed, clock: clock)
    }

    /// The fate of a new key: refused, paid with its answer lost, or paid (the simulated rail's draw).
    public func fate(of key: String) -> (refused: Bool, answerLost: Bool) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var generator = SplitMix64(seed: seed ^ hash)
        let refused = Double(generator.next() >> 11) / Double(1 << 53) < failRate
        let lost = Double(generator.next() >> 11) / Double(1 << 53) < timeoutRate
        return (refused, !refused && lost)
    }

    /// - Throws: ``LendingError`` `rail.key_reused` for a key already received with another
    ///   amount (nothing of the batch is executed).
    public func pay(_ requests: [PayoutRequest]) throws -> [RailAnswer] {
        let now = clock()
        return try records.table.withLock { stored in
            var table = stored
            let answers = try requests.map { request -> RailAnswer in
                if let known = table.index[request.key].map({ table.list[$0] }) {
                    guard known.amount == request.amount else {
                        throw LendingError(code: "rail.key_reused",
                                           message: "key \(request.key) was paid for \(known.amount), not \(request.amount); a key is one payout")
                    }
                    return known.status == .paid ? .paid : .failed(reason: known.reason ?? "refused")
                }
                let (refused, lost) = fate(of: request.key)
                let reason: String? = request.account.isEmpty ? "no_account" : refused ? "refused" : nil
                table.index[request.key] = table.list.count
                table.list.append(RailRecord(key: request.key, amount: request.amount, status: reason == nil ? .paid : .failed, at: now,
                                             reason: reason))
                if let reason { return .failed(reason: reason) }
                return lost ? .noAnswer : .paid
            }
            stored = table
            return answers
        }
    }

    public func records(keys: [String]) throws -> [String: RailRecord] {
        records.table.withLock { table in
            var found: [String: RailRecord] = [:]
            for key in keys { if let index = table.index[key] { found[key] = table.list[index] } }
            return found
        }
    }

    /// Every payout the rail executed or refused, in the order it did.
    public func list() -> [RailRecord] { records.table.withLock { $0.list } }
}
