import Foundation
import LendingModel
import LendingPostgres
import LendingStore
import LendingStorePorts

/// The one place that picks a store adapter for a `--db` value (or `LENDING_DB`): every command
/// and `serve` open their database here, and work on it through the ports only.
/// - Returns: the database and the personal-data key that goes with it: `LENDING_DATA_KEY` if
///   set; else for SQLite the file `PATH.key` beside the database, for PostgreSQL the file
///   `LENDING_DATA_KEY_FILE` names, else `DATABASE.postgres.key` in `keyDirectory` or the current directory (made on
///   first use). Every process on one PostgreSQL database must hold the same key: the database
///   records a check of it and refuses another.
/// - Throws: ``LendingError`` for a key that cannot be read, and the store's errors when the
///   database cannot be opened.
func openDatabase(_ location: String, keyDirectory: String? = nil) throws -> (any LendingDatabase, PersonalDataProtector) {
    let environment = ProcessInfo.processInfo.environment
    switch LendingDatabaseURL(location) {
    case .postgres(let url):
        let store = try PostgresStore(url: url, environment: environment)
        let name = (store.location.split(separator: "/").last.map(String.init) ?? "lending") + ".postgres.key"
        let keyPath = environment["LENDING_DATA_KEY_FILE"] ?? keyDirectory.map { $0 + "/" + name } ?? name
        let protector = try PersonalDataProtector.forKeyFile(at: keyPath, environment: environment)
        try store.checkDataKey(protector)
        return (store, protector)
    case .sqlite(let path):
        let store = try SQLiteStore(path: path)
        let protector = try PersonalDataProtector.forDatabase(at: path, environment: environment)
        return (store, protector)
    }
}
