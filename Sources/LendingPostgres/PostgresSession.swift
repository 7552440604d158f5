import Foundation
import LendingModel
import Logging
import NIOCore
import PostgresNIO

/// One connection, used by one thread at a time: statements run synchronously (the thread waits on
/// the driver's future, whose I/O runs on the store's event loops, never on the caller's).
///
/// Writes whose answer nobody reads (``send(_:_:)``: inserts, updates whose count is not
/// checked) are pipelined: sent at once, in order, without waiting for the server, so that a
/// repayment's or an agreement's writes cost no round trip each. The server runs a connection's
/// statements in the order sent, so a later read sees them; the first failure is reported by the
/// next statement that waits, or by ``settle()`` (which the store calls before every commit), and
/// the transaction rolls back.
final class PostgresSession: @unchecked Sendable { // leased to one thread at a time by the store's pool
    let connection: PostgresConnection
    let logger: Logger
    private var inFlight: [EventLoopFuture<PostgresQueryResult>] = []

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Sends a write without waiting for its answer (see the type's notes).
    func send(_ sql: String, _ values: [any PostgresBindable] = []) throws {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.bind(into: &binds) }
        try send(sql, binds: binds)
    }

    func send(_ sql: String, binds: PostgresBindings) throws {
        inFlight.append(connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
        if inFlight.count >= 512 { try settle() }
    }

    /// Waits for every write sent; throws the first one's failure.
    func settle() throws {
        guard !inFlight.isEmpty else { return }
        let pending = inFlight
        inFlight.removeAll(keepingCapacity: true)
        var failure: (any Error)?
        for future in pending {
            do { _ = try blockingResult(of: future) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// Waits for a statement's answer; when it failed after a pipelined write failed, the write's
    /// failure is the one reported (the statement only saw the transaction aborted).
    private func answer(_ future: EventLoopFuture<PostgresQueryResult>) throws -> PostgresQueryResult {
        do {
            let result = try blockingResult(of: future)
            // Every write sent before it has been answered by now (in order): report a failure of theirs.
            try settle()
            return result
        } catch {
            try settle()
            throw error
        }
    }

    /// Runs a statement with its values bound ($1, $2, ...).
    /// - Returns: the number of rows it changed (or returned).
    @discardableResult
    func execute(_ sql: String, _ values: [any PostgresBindable] = []) throws -> Int {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.bind(into: &binds) }
        return try execute(sql, binds: binds)
    }

    @discardableResult
    func execute(_ sql: String, binds: PostgresBindings) throws -> Int {
        let result = try answer(connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
        return result.metadata.rows ?? 0
    }

    /// The rows of a query, with its values bound.
    func query(_ sql: String, _ values: [any PostgresBindable] = []) throws -> [StoredRow] {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.bind(into: &binds) }
        return try query(sql, binds: binds)
    }

    func query(_ sql: String, binds: PostgresBindings) throws -> [StoredRow] {
        let result = try answer(connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
        return result.rows.map { StoredRow($0.makeRandomAccess()) }
    }

    /// Runs several statements separated by semicolons (migrations, test hooks), one after another.
    func simple(_ sql: String) throws {
        for statement in PostgresSession.statements(in: sql) { try execute(statement) }
    }

    /// The statements of a script: split at semicolons outside quotes, dollar-quoted bodies
    /// (`$$ ... $$`) and `--` comments (the driver runs one statement per query).
    static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var characters = Array(script)[...]
        var inQuote = false
        var inDollar = false
        while let character = characters.popFirst() {
            if !inQuote && !inDollar && character == "-" && characters.first == "-" {
                while let next = characters.first, next != "\n" { characters.removeFirst() }
                continue
            }
            current.append(character)
            if !inDollar && character == "'" { inQuote.toggle() }
            if !inQuote && character == "$" && characters.first == "$" {
                current.append(characters.removeFirst())
                inDollar.toggle()
            }
            if !inQuote && !inDollar && character == ";" {
                let statement = current.dropLast().trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}

/// Blocks this thread until `future` completes. Not NIO's `wait()`: that refuses to run on any
/// event loop thread, and `lending serve` calls the (synchronous) store ports from its handlers on
/// Hummingbird's loops. The future's I/O runs on the store's own event loops, never the
/// caller's, so the caller waiting cannot hold up its completion.
func blockingResult<T: Sendable>(of future: EventLoopFuture<T>) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    future.whenComplete { result in
        box.result = result
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

private final class ResultBox<T>: @unchecked Sendable { // written once before the semaphore signals, read after it
    var result: Result<T, any Error>?
}

/// A value that can be bound to a statement: integers as `bigint`, texts, doubles, bytes as
/// `bytea`, and `nil` of any of them as NULL.
protocol PostgresBindable {
    func bind(into binds: inout PostgresBindings)
}

extension Int64: PostgresBindable { func bind(into binds: inout PostgresBindings) { binds.append(self) } }
extension Int: PostgresBindable { func bind(into binds: inout PostgresBindings) { binds.append(Int64(self)) } }
extension String: PostgresBindable { func bind(into binds: inout PostgresBindings) { binds.append(self) } }
extension Double: PostgresBindable { func bind(into binds: inout PostgresBindings) { binds.append(self) } }
extension Bool: PostgresBindable { func bind(into binds: inout PostgresBindings) { binds.append(self) } }
extension ByteBuffer: PostgresBindable { func bind(into binds: inout PostgresBindings) { binds.append(self) } }

/// An array bound as one value (`= ANY($1)`, `unnest($1)`): one bind for any number of rows.
struct List<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresBindable {
    var values: [Element]
    init(_ values: [Element]) { self.values = values }
    func bind(into binds: inout PostgresBindings) { binds.append(values) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    func bind(into binds: inout PostgresBindings) {
        switch self {
        case .some(let value): value.bind(into: &binds)
        case .none: binds.appendNull()
        }
    }
}

/// Bytes bound as `bytea`.
struct Bytes: PostgresBindable {
    var value: [UInt8]
    init(_ value: [UInt8]) { self.value = value }
    /// The bytes that hex text stands for (a hash or a key).
    init(hex: String) { value = Bytes.decode(hex: hex) }
    func bind(into binds: inout PostgresBindings) { binds.append(ByteBuffer(bytes: value)) }

    static func decode(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return (0..<digits.count / 2).map { (hexValue(digits[2 * $0]) ?? 0) << 4 | (hexValue(digits[2 * $0 + 1]) ?? 0) }
    }
}

/// A row read back, by column position (every query names its columns).
struct StoredRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRandomAccessRow) { self.row = row }

    func int(_ index: Int) throws -> Int64 { try row[index].decode(Int64.self) }
    func optionalInt(_ index: Int) throws -> Int64? { try row[index].decode(Int64?.self) }
    func integer(_ index: Int) throws -> Int { Int(try int(index)) }
    func text(_ index: Int) throws -> String { try row[index].decode(String.self) }
    func optionalText(_ index: Int) throws -> String? { try row[index].decode(String?.self) }
    func double(_ index: Int) throws -> Double? { try row[index].decode(Double?.self) }
    func bool(_ index: Int) throws -> Bool { try row[index].decode(Bool.self) }
    func bytes(_ index: Int) throws -> [UInt8] {
        guard let buffer = try row[index].decode(ByteBuffer?.self) else { return [] }
        return Array(buffer.readableBytesView)
    }
    func optionalBytes(_ index: Int) throws -> [UInt8]? {
        try row[index].decode(ByteBuffer?.self).map { Array($0.readableBytesView) }
    }
    /// The hex text of stored bytes (a hash or a key).
    func hex(_ index: Int) throws -> String { hexString(try bytes(index)) }
    func day(_ index: Int) throws -> CalendarDay { CalendarDay(daysSinceEpoch: Int(try int(index))) }
    func optionalDay(_ index: Int) throws -> CalendarDay? { try optionalInt(index).map { CalendarDay(daysSinceEpoch: Int($0)) } }
    func instant(_ index: Int) throws -> Instant { Instant(secondsSinceEpoch: try int(index)) }
    func money(_ index: Int) throws -> Money { Money(fen: try int(index)) }
}

/// A `postgres://` URL read into its parts, with the password from the URL, `PGPASSWORD` or a
/// password file (`PGPASSFILE`, else `~/.pgpass`, in libpq's format).
struct PostgresLocation: Equatable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String

    /// The URL without its password: what errors and logs show.
    var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    init(url text: String, environment: [String: String]) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresStoreError(code: "store.url", message: "cannot read the database URL; write it as postgres://USER@HOST:PORT/DATABASE", location: nil)
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGHOST"] ?? "127.0.0.1"
        port = components.port ?? environment["PGPORT"].flatMap { Int($0) } ?? 5432
        user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGDATABASE"] ?? user
        password = components.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        if password == nil {
            let file = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
            if let file, let contents = try? String(contentsOfFile: file, encoding: .utf8) {
                password = PostgresLocation.password(in: contents, host: host, port: port, database: database, user: user)
            }
        }
    }

    /// The password of the first matching line of a password file (`host:port:database:user:password`, `*` matches anything).
    static func password(in file: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in file.split(separator: "\n") where !line.hasPrefix("#") {
            var fields: [String] = []
            var field = ""
            var escaped = false
            for character in line {
                if escaped {
                    field.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(character)
                }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}

extension Array {
    /// The last element of each key, in the order those last elements stand: a batch whose later
    /// element for a key replaces an earlier one (as one statement per element would leave it),
    /// written in one statement, which may not touch a row twice.
    func lastOfEachKey<Key: Hashable>(_ key: (Element) -> Key) -> [Element] {
        var last: [Key: Int] = [:]
        for (index, element) in enumerated() { last[key(element)] = index }
        return indices.filter { last[key(self[$0])] == $0 }.map { self[$0] }
    }

}

/// `$first, $first+1, ...` for `count` values.
func parameters(from first: Int, count: Int) -> String {
    (first..<first + count).map { "$\($0)" }.joined(separator: ", ")
}

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` values.
func rowParameters(_ columns: Int, _ rows: Int) -> String {
    (0..<rows).map { "(" + parameters(from: $0 * columns + 1, count: columns) + ")" }.joined(separator: ", ")
}
