import LendingModel

/// A look-back window for velocity rules.
public enum VelocityWindow: Int64, Sendable, CaseIterable, Codable {
    case hour = 3_600
    case day = 86_400
    case week = 604_800
    case month = 2_592_000 // 30 days

    public var seconds: Int64 { rawValue }

    /// Position in `allCases` (shortest first).
    public var index: Int {
        switch self {
        case .hour: 0
        case .day: 1
        case .week: 2
        case .month: 3
        }
    }

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

/// What a key's recent events look like, for every window at once.
public struct WindowCounts: Sendable, Equatable {
    /// Events in each window, shortest first (`VelocityWindow.index`).
    public var events: (Int, Int, Int, Int) = (0, 0, 0, 0)
    /// Distinct people in each window.
    public var people: (Int, Int, Int, Int) = (0, 0, 0, 0)

    public init() {}

    public func events(in window: VelocityWindow) -> Int {
        switch window {
        case .hour: events.0
        case .day: events.1
        case .week: events.2
        case .month: events.3
        }
    }

    public func people(in window: VelocityWindow) -> Int {
        switch window {
        case .hour: people.0
        case .day: people.1
        case .week: people.2
        case .month: people.3
        }
    }

    public static func == (lhs: WindowCounts, rhs: WindowCounts) -> Bool {
        lhs.events == rhs.events && lhs.people == rhs.people
    }
}

/// Events per key (a device, a phone, a card...) with the person behind each, over sliding
/// windows with exact boundaries: the window ending at `t` is the half-open interval (t − w, t].
/// An event exactly `w` before `t` is outside; an event at `t` is inside. From one key's list it
/// gives both velocity (events) and distinct people (ID numbers per device, per contact phone...).
///
/// Events may arrive slightly out of time order (they are inserted in order); memory is bounded
/// by dropping events older than the longest window.
public struct KeyedEventLog<Key: Hashable & Sendable>: Sendable {
    struct Event: Sendable {
        var time: Int64
        var person: UInt64
    }

    private var events: [Key: [Event]] = [:]
    private var recordsSinceSweep = 0
    private var latest = Int64.min
    private let horizon = VelocityWindow.month.seconds

    public init() {}

    /// Records an event of `person` for `key` at `time` and returns the key's counts at `time`,
    /// this event included.
    @discardableResult
    public mutating func record(_ key: Key, person: UInt64, at time: Instant) -> WindowCounts {
        let t = time.secondsSinceEpoch
        latest = max(latest, t)
        let cutoff = latest - horizon
        recordsSinceSweep += 1
        if recordsSinceSweep >= 1 << 16 { sweep(cutoff: cutoff) }
        return KeyedEventLog.insert(Event(time: t, person: person), into: &events[key, default: []], cutoff: cutoff, at: t)
    }

    /// The counts for `key` at `time` without recording anything.
    public func counts(_ key: Key, at time: Instant) -> WindowCounts {
        guard let list = events[key] else { return WindowCounts() }
        return KeyedEventLog.count(list, at: time.secondsSinceEpoch)
    }

    /// Events for `key` in (time − window, time].
    public func count(_ key: Key, in window: VelocityWindow, at time: Instant) -> Int { counts(key, at: time).events(in: window) }

    /// Distinct people for `key` in (time − window, time].
    public func people(_ key: Key, in window: VelocityWindow, at time: Instant) -> Int { counts(key, at: time).people(in: window) }

    /// Keys held (for tests of pruning).
    public var keyCount: Int { events.count }

    private mutating func sweep(cutoff: Int64) {
        recordsSinceSweep = 0
        events = events.filter { ($0.value.last?.time ?? .min) > cutoff }
    }

    private static func insert(_ event: Event, into list: inout [Event], cutoff: Int64, at t: Int64) -> WindowCounts {
        if let last = list.last, last.time > event.time {
            var index = list.count
            while index > 0 && list[index - 1].time > event.time { index -= 1 }
            list.insert(event, at: index)
        } else {
            list.append(event)
        }
        if let first = list.first, first.time <= cutoff {
            var drop = 0
            while drop < list.count && list[drop].time <= cutoff { drop += 1 }
            list.removeFirst(drop)
        }
        return count(list, at: t)
    }

    /// One pass from the newest event back: the windows are nested, so each is a prefix.
    private static func count(_ list: [Event], at t: Int64) -> WindowCounts {
        var result = WindowCounts()
        var index = list.count - 1
        while index >= 0 && list[index].time > t { index -= 1 }
        // People seen so far: a handful in practice, kept on the stack; a set beyond that.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 32) { seen in
            var seenCount = 0
            var overflow: Set<UInt64>?
            var events = 0
            var windowIndex = 0
            let bounds = (t - VelocityWindow.hour.seconds, t - VelocityWindow.day.seconds, t - VelocityWindow.week.seconds,
                          t - VelocityWindow.month.seconds)
            func bound(_ i: Int) -> Int64 {
                switch i {
                case 0: bounds.0
                case 1: bounds.1
                case 2: bounds.2
                default: bounds.3
                }
            }
            func close(_ i: Int, _ people: Int) {
                switch i {
                case 0: result.events.0 = events; result.people.0 = people
                case 1: result.events.1 = events; result.people.1 = people
                case 2: result.events.2 = events; result.people.2 = people
                default: result.events.3 = events; result.people.3 = people
                }
            }
            while index >= 0 {
                let event = list[index]
                while windowIndex < 4 && event.time <= bound(windowIndex) {
                    close(windowIndex, overflow?.count ?? seenCount)
                    windowIndex += 1
                }
                if windowIndex == 4 { break }
                events += 1
                if var set = overflow {
                    set.insert(event.person)
                    overflow = set
                } else {
                    var known = false
                    for position in 0..<seenCount where seen[position] == event.person {
                        known = true
                        break
                    }
                    if !known {
                        if seenCount < 32 {
                            seen[seenCount] = event.person
                            seenCount += 1
                        } else {
                            overflow = Set(seen)
                            overflow!.insert(event.person)
                        }
                    }
                }
                index -= 1
            }
            while windowIndex < 4 {
                close(windowIndex, overflow?.count ?? seenCount)
                windowIndex += 1
            }
            return result
        }
    }
}
