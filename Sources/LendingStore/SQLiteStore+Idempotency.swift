import Foundation
import GRDB
import LendingModel
import LendingStorePorts

/// Idempotency keys in the application database (`idempotency_keys`, migration
/// `v3-idempotency`): one row per completed key with the SHA-256 fingerprint of its request, the
/// status and body of its response, and when the request arrived. Written in the transaction of
/// the record the request created (``IdempotencyRecording`` on the decision and servicing
/// transactions), or alone (``record(_:)``). A key already recorded keeps its first record.
extension SQLiteStore: IdempotencyLog {
    public func completedRequest(key: String) async throws -> CompletedRequest? {
        do {
            return try await writer.read { db in try SQLiteIdempotency.completedRequest(db, key: key) }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: "read an idempotency key")
        }
    }

    public func record(_ requests: [CompletedRequest]) async throws {
        guard !requests.isEmpty else { return }
        do {
            try await writer.write { db in try SQLiteIdempotency.record(db, requests) }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: "record idempotency keys")
        }
    }

    public func forgetRequests(receivedBefore instant: Instant) async throws -> Int {
        do {
            return try await writer.write { db in
                try db.execute(sql: "DELETE FROM idempotency_keys WHERE received_at < ?", arguments: [instant.secondsSinceEpoch])
                return db.changesCount
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path, doing: "forget old idempotency keys")
        }
    }

    /// The number of idempotency keys recorded.
    public func idempotencyKeyCount() throws -> Int {
        try read("count the idempotency keys") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM idempotency_keys") ?? 0 }
    }
}

extension SQLiteDecisionTransaction: IdempotencyRecording {
    func record(_ requests: [CompletedRequest]) throws { try SQLiteIdempotency.record(db, requests) }
}

extension SQLiteServicingTransaction: IdempotencyRecording {
    func record(_ requests: [CompletedRequest]) throws { try SQLiteIdempotency.record(db, requests) }
}

enum SQLiteIdempotency {
    static func completedRequest(_ db: Database, key: String) throws -> CompletedRequest? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT fingerprint, status, body, received_at FROM idempotency_keys WHERE key = ?"),
                         arguments: [key]).map { row in
            CompletedRequest(key: key, fingerprint: [UInt8](row[0] as Data), status: row[1], body: [UInt8](row[2] as Data),
                             receivedAt: Instant(secondsSinceEpoch: row[3]))
        }
    }

    static func record(_ db: Database, _ requests: [CompletedRequest]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO idempotency_keys (key, fingerprint, status, body, received_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (key) DO NOTHING
            """)
        for request in requests {
            try statement.execute(arguments: [request.key, Data(request.fingerprint), request.status, Data(request.body),
                                              request.receivedAt.secondsSinceEpoch])
        }
    }
}
