import LendingModel

/// A look-back window for velocity rules.
public enum VelocityWindow: Int64, Sendable, CaseIterable, Codable {
    case hour = 3_600
    case day = 86_400
    case week = 604_800
    case month = 2_592_000 // 30 days

    public var seconds: Int64 { rawValue }

    /// The name used in reason codes and policy files: `1H`, `24H`, `7D`, `30D`.
    public var label: String {
        switch self {
        case .hour: "1H"
        case .day: "24H"
        case .week: "7D"
        case .month: "30D"
        }
    }

    /// Reads `1h`, `24h`, `7d`, `30d` (any case).
    public init?(label: String) {
        guard let window = VelocityWindow.allCases.first(where: { $0.label == label.uppercased() }) else { return nil }
        self = window
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let window = VelocityWindow(label: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a window; use 1h, 24h, 7d or 30d")
        }
        self = window
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label.lowercased())
    }
}

/// Counts events per key in sliding windows with exact boundaries: the window ending at `t`
/// is the half-open interval (t − w, t]. An event exactly `w` before `t` is outside; an event
/// at `t` is inside.
///
/// Events may arrive slightly out of time order (they are inserted in order); memory is bounded
/// by pruning events older than the longest window.
public struct VelocityCounter<Key: Hashable & Sendable>: Sendable {
    private var events: [Key: [Int64]] = [:]
    private let horizon: Int64
    private var recordsSinceSweep = 0
    private var latest = Int64.min

    public init(longestWindow: VelocityWindow = .month) { horizon = longestWindow.seconds }

    /// Records an event for `key` at `time`.
    public mutating func record(_ key: Key, at time: Instant) {
        let t = time.secondsSinceEpoch
        latest = max(latest, t)
        let cutoff = latest - horizon
        VelocityCounter.insert(t, into: &events[key, default: []], cutoff: cutoff)
        recordsSinceSweep += 1
        if recordsSinceSweep >= 1 << 16 { sweep(cutoff: cutoff) }
    }

    /// Events for `key` in (time − window, time].
    public func count(_ key: Key, in window: VelocityWindow, at time: Instant) -> Int {
        guard let list = events[key] else { return 0 }
        let high = time.secondsSinceEpoch
        return VelocityCounter.firstIndex(in: list, after: high) - VelocityCounter.firstIndex(in: list, after: high - window.seconds)
    }

    /// The number of keys held (for tests of pruning).
    public var keyCount: Int { events.count }

    /// Drops keys whose every event is older than `cutoff`.
    private mutating func sweep(cutoff: Int64) {
        recordsSinceSweep = 0
        events = events.filter { ($0.value.last ?? .min) > cutoff }
    }

    /// Inserts in time order and removes what no window can see any more.
    static func insert(_ time: Int64, into list: inout [Int64], cutoff: Int64) {
        if let last = list.last, last > time {
            list.insert(time, at: firstIndex(in: list, after: time))
        } else {
            list.append(time)
        }
        if let first = list.first, first <= cutoff {
            list.removeFirst(firstIndex(in: list, after: cutoff))
        }
    }

    static func firstIndex(in list: [Int64], after value: Int64) -> Int { SortedTimes.firstIndex(in: list, after: value) }
}

/// Counts distinct values per key in a window (for example distinct ID numbers per device),
/// with the same (t − w, t] boundaries.
public struct DistinctCounter<Key: Hashable & Sendable, Value: Hashable & Sendable>: Sendable {
    private var events: [Key: [(time: Int64, value: Value)]] = [:]
    private let horizon: Int64
    private var recordsSinceSweep = 0
    private var latest = Int64.min

    public init(longestWindow: VelocityWindow = .month) { horizon = longestWindow.seconds }

    public mutating func record(_ key: Key, value: Value, at time: Instant) {
        let t = time.secondsSinceEpoch
        latest = max(latest, t)
        let cutoff = latest - horizon
        DistinctCounter.insert((t, value), into: &events[key, default: []], cutoff: cutoff)
        recordsSinceSweep += 1
        if recordsSinceSweep >= 1 << 16 {
            recordsSinceSweep = 0
            events = events.filter { ($0.value.last?.time ?? .min) > cutoff }
        }
    }

    private static func insert(_ event: (time: Int64, value: Value), into list: inout [(time: Int64, value: Value)], cutoff: Int64) {
        if let last = list.last, last.time > event.time {
            list.insert(event, at: list.firstIndex { $0.time > event.time } ?? list.count)
        } else {
            list.append(event)
        }
        if let first = list.first, first.time <= cutoff {
            list.removeFirst(list.firstIndex { $0.time > cutoff } ?? list.count)
        }
    }

    /// Distinct values seen for `key` in (time − window, time].
    public func distinct(_ key: Key, in window: VelocityWindow, at time: Instant) -> Int {
        guard let list = events[key] else { return 0 }
        let low = time.secondsSinceEpoch - window.seconds
        let high = time.secondsSinceEpoch
        // Lists are short (a device sees a handful of people); a linear de-duplication beats a
        // set until they are not.
        var seen: [Value] = []
        for event in list where event.time > low && event.time <= high {
            if !seen.contains(event.value) { seen.append(event.value) }
            if seen.count > 32 { return distinctWithSet(list, low: low, high: high) }
        }
        return seen.count
    }

    private func distinctWithSet(_ list: [(time: Int64, value: Value)], low: Int64, high: Int64) -> Int {
        var seen = Set<Value>()
        for event in list where event.time > low && event.time <= high { seen.insert(event.value) }
        return seen.count
    }
}
