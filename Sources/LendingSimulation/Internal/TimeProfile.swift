import LendingIdentity
import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// When applications arrive: a weight per local hour and per day of the period.
struct TimeProfile: Sendable {
    let hours: WeightedTable
    let days: WeightedTable
    let dayCount: Int

    /// Clean traffic by local hour: busy 10–12 and 19–23, quiet 01–06; 00:00–06:00 holds 4%.
    static let cleanHours: [Double] = [
        1.6, 0.8, 0.5, 0.35, 0.3, 0.45, 0.8, 2.2, 3.6, 5.0, 7.6, 7.8,
        5.6, 4.8, 5.0, 5.0, 4.8, 4.6, 5.0, 7.4, 8.2, 8.4, 6.6, 3.6,
    ]

    /// The clean hourly shape with `night` of the weight in 00:00–06:00.
    static func hours(night: Double) -> [Double] {
        let nightSum = cleanHours[0..<6].reduce(0, +)
        let daySum = cleanHours[6...].reduce(0, +)
        return cleanHours.enumerated().map { $0.offset < 6 ? $0.element * night / nightSum : $0.element * (1 - night) / daySum }
    }

    /// - Parameters:
    ///   - night: share of 00:00–06:00.
    ///   - start: first day (weekends weigh 12% more).
    init(night: Double, start: CalendarDay, days: Int) {
        hours = WeightedTable(Self.hours(night: night))
        self.days = WeightedTable((0..<days).map { offset in
            let weekday = (start.daysSinceEpoch + offset + 4) % 7 // 0 is Sunday (1970-01-01 was a Thursday)
            return weekday == 0 || weekday == 6 ? 1.12 : 1.0
        })
        dayCount = days
    }

    /// A moment on a day of the period (random day when `day` is nil), in seconds from the
    /// period's first local midnight.
    func moment(day: Int? = nil, _ rng: inout SplitMix64) -> Int64 {
        let chosen = day ?? days.pick(&rng)
        return Int64(chosen) * 86_400 + Int64(hours.pick(&rng)) * 3600 + Int64(rng.below(3600))
    }
}
