import LendingModel

/// A look-back window for velocity rules.
public enum VelocityWindow: Int64, Sendable, CaseIterable, Codable {
    case hour = 3_600
    case day = 86_400
    case week = 604_800
    case month = 2_592_000 // 30 days

    public var seconds: Int64 { rawValue }

    /// The name used in reason codes: `1H`, `24H`, `7D`, `30D`.
    public var label: String {
        switch self {
        case .hour: "1H"
        case .day: "24H"
        case .week: "7D"
        case .month: "30D"
        }
    }
}

/// Counts events per key in sliding windows with exact boundaries: the window ending at `t`
/// is the half-open interval (t − w, t]. An event exactly `w` before `t` is outside; an event
/// at `t` is inside.
///
/// Events must arrive in time order per key (applications are processed in `applied_at`
/// order); memory is bounded by pruning events older than the longest window.
public struct VelocityCounter: Sendable {
    private var events: [String: [Int64]] = [:]
    private let horizon: Int64

    public init(longestWindow: VelocityWindow = .month) { horizon = longestWindow.seconds }

    /// Records an event for `key` at `time`.
    public mutating func record(_ key: String, at time: Instant) {
        var list = events[key, default: []]
        precondition(list.last.map { $0 <= time.secondsSinceEpoch } ?? true, "velocity events must be recorded in time order")
        list.append(time.secondsSinceEpoch)
        // Prune what no window can see any more.
        let cutoff = time.secondsSinceEpoch - horizon
        if let first = list.first, first <= cutoff {
            list.removeFirst(list.firstIndex { $0 > cutoff } ?? list.count)
        }
        events[key] = list
    }

    /// Events for `key` in (time − window, time].
    public func count(_ key: String, in window: VelocityWindow, at time: Instant) -> Int {
        guard let list = events[key] else { return 0 }
        let low = time.secondsSinceEpoch - window.seconds
        let high = time.secondsSinceEpoch
        // Binary search the first event after `low`, then count up to `high`.
        var lower = 0, upper = list.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if list[middle] > low { upper = middle } else { lower = middle + 1 }
        }
        var end = lower
        while end < list.count && list[end] <= high { end += 1 }
        return end - lower
    }
}

/// Counts distinct values per key in a window (for example distinct ID numbers per device),
/// with the same (t − w, t] boundaries.
public struct DistinctCounter: Sendable {
    private var events: [String: [(time: Int64, value: String)]] = [:]

    public init() {}

    public mutating func record(_ key: String, value: String, at time: Instant) {
        events[key, default: []].append((time.secondsSinceEpoch, value))
    }

    /// Distinct values seen for `key` in (time − window, time].
    public func distinct(_ key: String, in window: VelocityWindow, at time: Instant) -> Int {
        guard let list = events[key] else { return 0 }
        let low = time.secondsSinceEpoch - window.seconds
        var seen = Set<String>()
        for event in list where event.time > low && event.time <= time.secondsSinceEpoch { seen.insert(event.value) }
        return seen.count
    }
}
