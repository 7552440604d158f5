import LendingModel
import LendingStorePorts
import Synchronization

/// Every store port in memory over one shared state, as `SQLiteStore` implements them over one
/// database: ``DecisionStore``, ``CollectionsStore`` (hence ``ServicingStore``) and
/// ``IdempotencyLog``. For tests, embedding, and services that keep nothing across runs.
///
/// A write transaction works on a copy of the state and installs it only when its body returns,
/// so a throw leaves nothing behind; write transactions run one at a time (a writer lock is held
/// for the whole body), so two of them never lose each other's updates. A read
/// (``readServicing(_:)``, ``readCollections(_:)``, the decision store's reads) works on the
/// state as last committed, one consistent snapshot, and never waits for a writer's body.
///
/// The store refuses the writes SQLite's schema refuses (duplicate ids, a journal that does not
/// continue its head, a final payout changed...) with an ``InMemoryStoreError``. Its decision and
/// servicing transactions conform to ``IdempotencyRecording``: an idempotency key commits or rolls
/// back with the record its request created.
///
/// It is meant for small books (tests, embedding, a demo): a write copies each table it changes
/// (copy-on-write), so a job that writes batch by batch over a large book, such as end of day
/// over a million loans, copies the tables once per batch. Use an adapter with a database for
/// large books.
///
/// Transactions are not reentrant: starting a write transaction inside another's body on the same
/// thread deadlocks (SQLite traps there).
public final class InMemoryStore: Sendable {
    /// The state as last committed.
    private let committed = Mutex(StoreState())
    /// Held for the whole of a write, so that writers take turns.
    private let writer = Mutex(())

    public init() {}

    /// The committed state (a copy: its tables are shared until someone writes).
    func snapshot() -> StoreState { committed.withLock { $0 } }

    /// Runs `body` on a transaction over a copy of the state; installs the copy if `body` returns.
    func write<Transaction: MemoryTransaction, T>(_ make: (StoreState) -> Transaction, _ body: (Transaction) throws -> T) throws -> T {
        try mutate { state in
            let transaction = make(state)
            let result = try body(transaction)
            state = transaction.state
            return result
        }
    }

    /// Changes a copy of the state in a write of its own (serialised with the transactions) and
    /// installs it if `body` returns.
    func mutate<T>(_ body: (inout StoreState) throws -> T) throws -> T {
        var outcome: Result<T, any Error>?
        writer.withLock { _ in
            var state = snapshot()
            do {
                let result = try body(&state)
                let changed = state
                committed.withLock { $0 = changed }
                outcome = .success(result)
            } catch {
                outcome = .failure(error)
            }
        }
        // The closure above always sets the outcome before withLock returns.
        return try outcome!.get()
    }
}

/// A transaction's copy of the state, installed by ``InMemoryStore`` when its body returns.
protocol MemoryTransaction: AnyObject {
    var state: StoreState { get }
}

extension InMemoryStore: LendingDatabase {}
