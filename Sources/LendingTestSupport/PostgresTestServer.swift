import Foundation

/// The PostgreSQL server tests may use: `LENDING_TEST_POSTGRES_URL` (a URL of the server, such
/// as `postgres://postgres@127.0.0.1:55432/postgres`, which `.ci/run` starts as a throwaway
/// cluster). Tests that need it run only when it is set.
public enum PostgresTestServer {
    public static var url: String? {
        ProcessInfo.processInfo.environment["LENDING_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL of a new database name on the server (the store, or the caller, creates it).
    public static func databaseURL(named name: String = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")) -> String? {
        guard let url, let slash = url.range(of: "/", options: .backwards) else { return nil }
        return String(url[..<slash.lowerBound]) + "/" + name
    }
}
