import LendingModel
import LendingStorePorts

/// Everything the in-memory store holds: one value, copied by a write transaction and installed
/// whole when it commits. Each table is its own copy-on-write collection, so a transaction
/// copies only the tables it changes.
struct StoreState: Sendable {
    var decisions = DecisionTables()
    var servicing = ServicingTables()
    var collections = CollectionsTables()
    /// Completed idempotency keys.
    var idempotency: [String: CompletedRequest] = [:]
    /// The audit log, signature evidence and maker-checker requests.
    var backOffice = BackOfficeTables()

    /// Records completed requests; a key already recorded keeps its first record. Checks the whole
    /// batch first (as SQLite's CHECKs refuse the statement), so a refused batch records nothing.
    mutating func record(_ requests: [CompletedRequest]) throws {
        for request in requests {
            guard (1...255).contains(request.key.utf8.count) else {
                throw InMemoryStoreError.constraint("an idempotency key must have 1 to 255 characters")
            }
            guard request.fingerprint.count == 32 else {
                throw InMemoryStoreError.constraint("an idempotency fingerprint must be a SHA-256 (32 bytes)")
            }
            guard (100...599).contains(request.status) else {
                throw InMemoryStoreError.constraint("an HTTP status must be between 100 and 599, not \(request.status)")
            }
        }
        for request in requests where idempotency[request.key] == nil { idempotency[request.key] = request }
    }
}

/// SQLite's order for text (BINARY collation: bytes of the UTF-8), used wherever SQLite sorts
/// by an id, so that both stores list in the same order.
func precedesInBinaryOrder(_ left: String, _ right: String) -> Bool {
    left.utf8.lexicographicallyPrecedes(right.utf8)
}
