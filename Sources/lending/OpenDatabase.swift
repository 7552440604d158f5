import Foundation
import LendingModel
import LendingStore
import LendingStorePorts

/// The one place that picks a store adapter for a `--db` value: every command and `serve` open
/// their database here, and work on it through the ports only.
/// - Returns: the database and the personal-data key that goes with it (`PATH.key` beside a
///   SQLite file unless `LENDING_DATA_KEY` is set).
/// - Throws: ``LendingError`` for a URL of an adapter this build does not have, and the store's
///   errors when the database cannot be opened.
func openDatabase(_ location: String) throws -> (any LendingDatabase, PersonalDataProtector) {
    switch LendingDatabaseURL(location) {
    case .postgres:
        throw LendingError(code: "store.postgres", message: "PostgreSQL is not supported yet; use a SQLite file path with --db")
    case .sqlite(let path):
        let store = try SQLiteStore(path: path)
        let protector = try PersonalDataProtector.forDatabase(at: path, environment: ProcessInfo.processInfo.environment)
        return (store, protector)
    }
}
