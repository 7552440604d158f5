import Foundation
import GRDB
import LendingDisbursement
import LendingModel

/// The built-in simulated bank (`--rail sim:RAIL.sqlite`): a separate SQLite file (its own
/// connection, WAL, `synchronous=FULL`) that executes each payout key at most once and answers
/// the same for the same key. It keeps only the key, the amount, the status and the time: never
/// the payee's card.
///
/// Faults are injected per key, reproducibly from the seed: a key is refused with probability
/// `failRate`; an executed key has its answer lost (a timeout: ``RailAnswer/noAnswer``) with
/// probability `timeoutRate`; it is then recorded as paid, and asking the rail later tells so.
/// A request without an account is refused. A batch is executed in one transaction: all of it
/// or, after a crash, none of it. `latencyMilliseconds` makes it a slow bank: each batch is
/// answered that long after it was executed (the window in which a crash leaves a payout made
/// and its answer unheard).
public final class SimulatedRail: PaymentRail, Sendable {
    let queue: DatabaseQueue
    public let path: String
    public let failRate: Double
    public let timeoutRate: Double
    public let seed: UInt64
    public let latencyMilliseconds: Int
    let clock: @Sendable () -> Instant

    /// Opens (creating if needed) a simulated rail.
    /// - Throws: ``StoreError`` when the file cannot be opened.
    public init(path: String, failRate: Double = 0, timeoutRate: Double = 0, seed: UInt64 = 1, latencyMilliseconds: Int = 0,
                clock: @escaping @Sendable () -> Instant) throws(StoreError) {
        self.path = path
        self.latencyMilliseconds = max(0, latencyMilliseconds)
        self.failRate = failRate
        self.timeoutRate = timeoutRate
        self.seed = seed
        self.clock = clock
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if path != ":memory:" { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = path == ":memory:" ? try DatabaseQueue(configuration: configuration) : try DatabaseQueue(path: path, configuration: configuration)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS payouts (
                        key TEXT NOT NULL UNIQUE,
                        amount INTEGER NOT NULL CHECK (amount > 0),
                        status TEXT NOT NULL CHECK (status IN ('paid', 'failed')),
                        at INTEGER NOT NULL
                    )
                    """)
            }
        } catch {
            throw StoreError(error, file: path, doing: "open the simulated rail")
        }
    }

    /// The fate of a new key: refused, paid with its answer lost, or paid.
    func fate(of key: String) -> (refused: Bool, answerLost: Bool) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var generator = SplitMix64(seed: seed ^ hash)
        let refused = Double(generator.next() >> 11) / Double(1 << 53) < failRate
        let lost = Double(generator.next() >> 11) / Double(1 << 53) < timeoutRate
        return (refused, !refused && lost)
    }

    public func pay(_ requests: [PayoutRequest]) throws -> [RailAnswer] {
        defer { if latencyMilliseconds > 0 { usleep(UInt32(min(latencyMilliseconds, 60_000)) * 1_000) } }
        do {
            return try queue.write { db in
                let now = clock().secondsSinceEpoch
                let find = try db.cachedStatement(sql: "SELECT amount, status FROM payouts WHERE key = ?")
                let insert = try db.cachedStatement(sql: "INSERT INTO payouts (key, amount, status, at) VALUES (?, ?, ?, ?)")
                return try requests.map { request -> RailAnswer in
                    if let row = try Row.fetchOne(find, arguments: [request.key]) {
                        guard (row[0] as Int64) == request.amount.fen else {
                            throw StoreError(code: "rail.key_reused", message: "key \(request.key) was paid for \(Money(fen: row[0])), not \(request.amount); a key is one payout", file: path)
                        }
                        return (row[1] as String) == "paid" ? .paid : .failed(reason: "refused")
                    }
                    let (refused, lost) = fate(of: request.key)
                    let accountless = request.account.isEmpty
                    try insert.execute(arguments: [request.key, request.amount.fen, refused || accountless ? "failed" : "paid", now])
                    if accountless { return .failed(reason: "no_account") }
                    if refused { return .failed(reason: "refused") }
                    return lost ? .noAnswer : .paid
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: "pay through the simulated rail")
        }
    }

    public func records(keys: [String]) throws -> [String: RailRecord] {
        do {
            return try queue.read { db in
                var found: [String: RailRecord] = [:]
                for chunk in keys.chunked(by: 500) {
                    let rows = try Row.fetchCursor(db, sql: "SELECT key, amount, status, at FROM payouts WHERE key IN (\(placeholders(chunk.count)))",
                                                   arguments: StatementArguments(Array(chunk)))
                    while let row = try rows.next() { found[row[0]] = SimulatedRail.record(row) }
                }
                return found
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: "ask the simulated rail")
        }
    }

    /// Every payout the rail executed or refused, in the order it did.
    public func list() throws -> [RailRecord] {
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT key, amount, status, at FROM payouts ORDER BY rowid").map(SimulatedRail.record)
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: "read the simulated rail")
        }
    }

    static func record(_ row: Row) -> RailRecord {
        let status = RailRecord.Status(rawValue: row[2]) ?? .failed
        return RailRecord(key: row[0], amount: Money(fen: row[1]), status: status, at: Instant(secondsSinceEpoch: row[3]),
                          reason: status == .failed ? "refused" : nil)
    }
}
