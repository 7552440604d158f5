/// Where a lending database is, as `--db` or `LENDING_DB` gives it: a SQLite file path, or a
/// PostgreSQL URL (`postgres://USER@HOST:PORT/DB` or `postgresql://...`).
public enum LendingDatabaseURL: Sendable, Equatable {
    /// A SQLite file (`:memory:` for a database in memory).
    case sqlite(path: String)
    /// A PostgreSQL server; the URL as given (it may hold a password: never log it).
    case postgres(url: String)

    /// Reads `--db`'s value: a `postgres://` or `postgresql://` URL, or else a file path.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            self = .sqlite(path: text)
        }
    }

    /// What messages show: the path, or the URL without its password.
    public var displayName: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@") else { return url }
            let credentials = url[scheme.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return url }
            return String(url[..<colon]) + url[at...]
        }
    }
}
