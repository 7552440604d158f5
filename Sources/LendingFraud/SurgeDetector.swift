import LendingModel

/// Settings of the surge detector.
public struct SurgePolicy: Sendable, Equatable, Codable {
    /// The recent window compared with the baseline, in minutes (default 10).
    public var windowMinutes: Int
    /// The trailing baseline before the recent window, in hours (default 24).
    public var baselineHours: Int
    /// A surge needs at least this many applications in the recent window.
    public var minimumCount: Int
    /// ... and at least this many times the baseline's average per window.
    public var multiplier: Double
    /// The baseline average never counts as less than this per window (new merchants).
    public var baselineFloor: Double
    /// The tightened policy stays on until this long after the last window that surged.
    public var cooldownMinutes: Int

    public init(windowMinutes: Int = 10, baselineHours: Int = 24, minimumCount: Int = 20, multiplier: Double = 5,
                baselineFloor: Double = 1, cooldownMinutes: Int = 30) {
        self.windowMinutes = windowMinutes
        self.baselineHours = baselineHours
        self.minimumCount = minimumCount
        self.multiplier = multiplier
        self.baselineFloor = baselineFloor
        self.cooldownMinutes = cooldownMinutes
    }
}

/// A change of surge state, to be logged and stored.
public struct SurgeEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case started, ended }
    public var kind: Kind
    /// `channel` or `channel/merchant`.
    public var key: String
    public var at: Instant
    /// Applications in the recent window when it changed.
    public var recentCount: Int
    /// The baseline's average per window.
    public var baselinePerWindow: Double

    public var description: String {
        let baseline = (baselinePerWindow * 10).rounded() / 10
        return "surge \(kind.rawValue) on \(key) at \(at): \(recentCount) applications in the recent window against a baseline of \(baseline)"
    }
}

/// Detects sudden surges of applications per key (a channel, or a channel and merchant): the
/// count in the last window against the average per window over the trailing baseline. While a
/// key surges the pipeline applies the tightened policy to it.
public struct SurgeDetector: Sendable {
    private struct Series: Sendable {
        var times: [Int64] = []
        var head = 0
        var activeUntil: Int64 = .min
        var active = false
    }

    public let policy: SurgePolicy
    private var series: [String: Series] = [:]

    public init(policy: SurgePolicy = SurgePolicy()) { self.policy = policy }

    /// Records one application for `key` at `time`; returns whether the key surges now and the
    /// state change, if any (named `label`, or the key).
    public mutating func record(_ key: String, label: @autoclosure () -> String? = nil, at time: Instant) -> (surging: Bool, event: SurgeEvent?) {
        let t = time.secondsSinceEpoch
        let window = Int64(policy.windowMinutes) * 60
        let baseline = Int64(policy.baselineHours) * 3_600
        var entry = series[key] ?? Series()
        series[key] = nil
        defer { series[key] = entry }
        // Keep the times sorted; drop those older than the baseline.
        if let last = entry.times.last, last > t {
            entry.times.insert(t, at: SortedTimes.firstIndex(in: entry.times, from: entry.head, after: t))
        } else {
            entry.times.append(t)
        }
        while entry.head < entry.times.count && entry.times[entry.head] <= t - window - baseline { entry.head += 1 }
        if entry.head > 4_096 && entry.head * 2 > entry.times.count {
            entry.times.removeFirst(entry.head)
            entry.head = 0
        }
        let end = SortedTimes.firstIndex(in: entry.times, from: entry.head, after: t)
        let recentStart = SortedTimes.firstIndex(in: entry.times, from: entry.head, after: t - window)
        let recent = end - recentStart
        let older = recentStart - entry.head
        let perWindow = Double(older) / (Double(baseline) / Double(window))
        var event: SurgeEvent?
        let surgesNow = recent >= policy.minimumCount && Double(recent) >= policy.multiplier * max(perWindow, policy.baselineFloor)
        if surgesNow {
            entry.activeUntil = t + Int64(policy.cooldownMinutes) * 60
            if !entry.active {
                entry.active = true
                event = SurgeEvent(kind: .started, key: label() ?? key, at: time, recentCount: recent, baselinePerWindow: perWindow)
            }
        } else if entry.active && t > entry.activeUntil {
            // Noticed now, ended when the cooldown ran out.
            entry.active = false
            event = SurgeEvent(kind: .ended, key: label() ?? key, at: Instant(secondsSinceEpoch: entry.activeUntil), recentCount: recent,
                               baselinePerWindow: perWindow)
        }
        return (entry.active, event)
    }
}
