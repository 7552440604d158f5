/// A place in a store's own order of loans, given out by the store with each row it reads: hand
/// it back to continue a scan after that row, or to write that row again. It is opaque: its value
/// means something only to the store that gave it (SQLite keeps its row number in it), so it is
/// never shown, stored elsewhere or compared across stores.
public struct StorePosition: Sendable, Hashable, Comparable {
    /// The store's own value; only an adapter reads or makes it.
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Before the first row: a scan that starts here reads from the beginning.
    public static let start = StorePosition(rawValue: Int64.min)

    public static func < (lhs: StorePosition, rhs: StorePosition) -> Bool { lhs.rawValue < rhs.rawValue }
}
